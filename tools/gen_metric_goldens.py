#!/usr/bin/env python3
"""Golden scores for the Swift port of LongBench v1's metrics.py.

Runs LongBench's own metric definitions (copied below from LongBench/metrics.py and eval.py,
THUDM/LongBench, last semantic change ad1ea89) with the libraries they use, on generated
(prediction, answers) pairs, and writes Tests/KVEvalTests/Fixtures/metric_goldens.json.

Setup (any CPython 3.11-3.13; 3.10 allows one recursion frame fewer, see below):
    python3 -m venv /tmp/lbvenv
    /tmp/lbvenv/bin/pip install rouge==1.0.1 fuzzywuzzy==0.18.0 python-Levenshtein jieba==0.42.1 numpy
    /tmp/lbvenv/bin/python tools/gen_metric_goldens.py

The metric functions are called from a function called from module level, exactly as eval.py's
`scorer` is, so the RecursionError threshold of the `rouge` package's recursive LCS matches
what eval.py sees.
"""
import json
import os
import random
import re
import string
import sys
from collections import Counter
from importlib.metadata import version

import jieba
import numpy as np
from fuzzywuzzy import fuzz
from rouge import Rouge

# ---------------------------------------------------------------------------------------------
# LongBench/metrics.py (verbatim definitions)
# ---------------------------------------------------------------------------------------------


def normalize_answer(s):
    """Lower text and remove punctuation, articles and extra whitespace."""

    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def normalize_zh_answer(s):
    """Lower text and remove punctuation, extra whitespace."""

    def white_space_fix(text):
        return "".join(text.split())

    def remove_punc(text):
        cn_punctuation = "！？｡。＂＃＄％＆＇（）＊＋，－／：；＜＝＞＠［＼］＾＿｀｛｜｝～｟｠｢｣､、〃》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〾〿–—‘’‛“”„‟…‧﹏."
        all_punctuation = set(string.punctuation + cn_punctuation)
        return "".join(ch for ch in text if ch not in all_punctuation)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_punc(lower(s)))


def count_score(prediction, ground_truth, **kwargs):
    numbers = re.findall(r"\d+", prediction)
    right_num = 0
    for number in numbers:
        if str(number) == str(ground_truth):
            right_num += 1
    final_score = 0.0 if len(numbers) == 0 else right_num / len(numbers)
    return float(final_score)


def retrieval_score(prediction, ground_truth, **kwargs):
    pattern = r'Paragraph (\d+)'
    matches = re.findall(pattern, ground_truth)
    ground_truth_id = matches[0]
    numbers = re.findall(r"\d+", prediction)
    right_num = 0
    for number in numbers:
        if str(number) == str(ground_truth_id):
            right_num += 1
    final_score = 0.0 if len(numbers) == 0 else right_num / len(numbers)
    return float(final_score)


def retrieval_zh_score(prediction, ground_truth, **kwargs):
    pattern = r'段落(\d+)'
    matches = re.findall(pattern, ground_truth)
    ground_truth_id = matches[0]
    numbers = re.findall(r"\d+", prediction)
    right_num = 0
    for number in numbers:
        if str(number) == str(ground_truth_id):
            right_num += 1
    final_score = 0.0 if len(numbers) == 0 else right_num / len(numbers)
    return float(final_score)


def code_sim_score(prediction, ground_truth, **kwargs):
    all_lines = prediction.lstrip('\n').split('\n')
    prediction = ""
    for line in all_lines:
        if ('`' not in line) and ('#' not in line) and ('//' not in line):
            prediction = line
            break
    return (fuzz.ratio(prediction, ground_truth) / 100)


def classification_score(prediction, ground_truth, **kwargs):
    em_match_list = []
    all_classes = kwargs["all_classes"]
    for class_name in all_classes:
        if class_name in prediction:
            em_match_list.append(class_name)
    for match_term in em_match_list:
        if match_term in ground_truth and match_term != ground_truth:
            em_match_list.remove(match_term)
    if ground_truth in em_match_list:
        score = (1.0 / len(em_match_list))
    else:
        score = 0.0
    return score


def rouge_score(prediction, ground_truth, **kwargs):
    rouge = Rouge()
    try:
        scores = rouge.get_scores([prediction], [ground_truth], avg=True)
    except:  # noqa: E722 -- LongBench's bare except (catches RecursionError too)
        return 0.0
    return scores["rouge-l"]["f"]


def rouge_zh_score(prediction, ground_truth, **kwargs):
    prediction = " ".join(list(jieba.cut(prediction, cut_all=False)))
    ground_truth = " ".join(list(jieba.cut(ground_truth, cut_all=False)))
    score = rouge_score(prediction, ground_truth)
    return score


def f1_score(prediction, ground_truth, **kwargs):
    common = Counter(prediction) & Counter(ground_truth)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction)
    recall = 1.0 * num_same / len(ground_truth)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1


def qa_f1_score(prediction, ground_truth, **kwargs):
    normalized_prediction = normalize_answer(prediction)
    normalized_ground_truth = normalize_answer(ground_truth)

    prediction_tokens = normalized_prediction.split()
    ground_truth_tokens = normalized_ground_truth.split()
    return f1_score(prediction_tokens, ground_truth_tokens)


def qa_f1_zh_score(prediction, ground_truth, **kwargs):
    prediction_tokens = list(jieba.cut(prediction, cut_all=False))
    ground_truth_tokens = list(jieba.cut(ground_truth, cut_all=False))
    prediction_tokens = [normalize_zh_answer(token) for token in prediction_tokens]
    ground_truth_tokens = [normalize_zh_answer(token) for token in ground_truth_tokens]
    prediction_tokens = [token for token in prediction_tokens if len(token) > 0]
    ground_truth_tokens = [token for token in ground_truth_tokens if len(token) > 0]
    return f1_score(prediction_tokens, ground_truth_tokens)


# ---------------------------------------------------------------------------------------------
# LongBench/eval.py (verbatim scorer logic)
# ---------------------------------------------------------------------------------------------

dataset2metric = {
    "narrativeqa": qa_f1_score,
    "qasper": qa_f1_score,
    "multifieldqa_en": qa_f1_score,
    "multifieldqa_zh": qa_f1_zh_score,
    "hotpotqa": qa_f1_score,
    "2wikimqa": qa_f1_score,
    "musique": qa_f1_score,
    "dureader": rouge_zh_score,
    "gov_report": rouge_score,
    "qmsum": rouge_score,
    "multi_news": rouge_score,
    "vcsum": rouge_zh_score,
    "trec": classification_score,
    "triviaqa": qa_f1_score,
    "samsum": rouge_score,
    "lsht": classification_score,
    "passage_retrieval_en": retrieval_score,
    "passage_count": count_score,
    "passage_retrieval_zh": retrieval_zh_score,
    "lcc": code_sim_score,
    "repobench-p": code_sim_score,
}


def scorer_e(dataset, predictions, answers, lengths, all_classes):
    scores = {"0-4k": [], "4-8k": [], "8k+": []}
    for (prediction, ground_truths, length) in zip(predictions, answers, lengths):
        score = 0.
        if dataset in ["trec", "triviaqa", "samsum", "lsht"]:
            prediction = prediction.lstrip('\n').split('\n')[0]
        for ground_truth in ground_truths:
            score = max(score, dataset2metric[dataset](prediction, ground_truth, all_classes=all_classes))
        if length < 4000:
            scores["0-4k"].append(score)
        elif length < 8000:
            scores["4-8k"].append(score)
        else:
            scores["8k+"].append(score)
    for key in scores.keys():
        scores[key] = round(100 * np.mean(scores[key]), 2)
    return scores


def scorer(dataset, predictions, answers, all_classes):
    total_score = 0.
    for (prediction, ground_truths) in zip(predictions, answers):
        score = 0.
        if dataset in ["trec", "triviaqa", "samsum", "lsht"]:
            prediction = prediction.lstrip('\n').split('\n')[0]
        for ground_truth in ground_truths:
            score = max(score, dataset2metric[dataset](prediction, ground_truth, all_classes=all_classes))
        total_score += score
    return round(100 * total_score / len(predictions), 2)


# ---------------------------------------------------------------------------------------------
# Per-sample scoring at eval.py's stack depth (module -> this function -> metric), plus errors.
# ---------------------------------------------------------------------------------------------


def sample_score(dataset, prediction, ground_truths, all_classes):
    """The body of eval.py's scorer loop for one sample; returns (score, error_name)."""
    try:
        score = 0.
        if dataset in ["trec", "triviaqa", "samsum", "lsht"]:
            prediction = prediction.lstrip('\n').split('\n')[0]
        for ground_truth in ground_truths:
            score = max(score, dataset2metric[dataset](prediction, ground_truth, all_classes=all_classes))
        return float(score), None
    except Exception as e:  # Python would stop eval.py here; Swift must throw
        return None, type(e).__name__


# ---------------------------------------------------------------------------------------------
# Case generation
# ---------------------------------------------------------------------------------------------

R = random.Random(20260601)

EN_WORDS = ("the a an The A An THE cat dog Paris London river bank 1990 42 3.14 1,000 "
            "Barack Obama president of United States born in Hawaii yes no unanswerable "
            "it's don't well-known e.g. U.S.A. co-operate naïve café résumé ÉCOLE Straße "
            "ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ İstanbul ǅemal ﬁne ＡＢＣ ½ ² Ⅻ ١٢ ٣ an't a_b the_end anthem "
            "theatre another about").split()
PUNCT = list(string.punctuation) + ["…", "—", "“", "”", "。", "，", "、", "！"]
SPACES = [" ", "  ", "\t", "\n", "\u3000", "\xa0", "\u2009", "\r\n", "\x1c", "\u200b", "\x85"]


def words(k, pool=EN_WORDS):
    return [R.choice(pool) for _ in range(k)]


def rand_text(lo, hi, punct=0.15, pool=EN_WORDS):
    out = []
    for w in words(R.randint(lo, hi), pool):
        out.append(w)
        if R.random() < punct:
            out.append(R.choice(PUNCT))
        out.append(R.choice(SPACES) if R.random() < 0.2 else " ")
    return "".join(out).strip(" ") if R.random() < 0.8 else "".join(out)


def mutate(text):
    toks = text.split(" ")
    ops = R.randint(0, 4)
    for _ in range(ops):
        r = R.random()
        if r < 0.3 and toks:
            toks.pop(R.randrange(len(toks)))
        elif r < 0.6:
            toks.insert(R.randint(0, len(toks)), R.choice(EN_WORDS))
        elif r < 0.8 and toks:
            i = R.randrange(len(toks))
            toks[i] = toks[i].upper() if R.random() < 0.5 else toks[i] + R.choice(PUNCT)
        elif toks:
            R.shuffle(toks)
    return " ".join(toks)


cases = []


def add(dataset, prediction, answers, all_classes=None, tag=""):
    cases.append({"tag": tag, "dataset": dataset, "prediction": prediction, "answers": answers,
                  "all_classes": all_classes})


def gen_qa():
    ds = ["narrativeqa", "qasper", "multifieldqa_en", "hotpotqa", "2wikimqa", "musique", "triviaqa"]
    fixed = [("", [""]), ("", ["Paris"]), ("Paris", [""]), (".", ["."]), ("The", ["a an the"]),
             ("the cat", ["The Cat!"]), ("a", ["A"]), ("an apple", ["the apple"]), ("theatre", ["the atre"]),
             ("ΟΔΥΣΣΕΥΣ", ["οδυσσευς"]), ("ΟΔΥΣΣΕΥΣ", ["οδυσσεσ"]), ("Σ", ["σ"]), ("AΣ B", ["aς b"]),
             ("İstanbul", ["i̇stanbul"]), ("Straße", ["strasse"]), ("ﬁne", ["fine"]), ("café", ["cafe\u0301"]),
             ("a_the an", ["a_the"]), ("\u00e9\u0301 the", ["e\u0301\u0301"]), ("１９９０", ["1990"]),
             ("1,000", ["1000"]), ("3.14", ["314"]), ("yes\nno", ["yes no"]), ("a\u3000b", ["a b"]),
             ("the\xa0end", ["end"]), ("an't", ["nt"]), ("ǅemal", ["ǆemal"]), ("Ⅻ", ["ⅻ"]),
             ("the,the", ["the the"]), ("x the\u200by", ["x y"]), ("el a", ["la a"])]
    for p, a in fixed:
        add(R.choice(ds), p, a, tag="qa_fixed")
    for _ in range(420):
        a = [rand_text(1, 8) for _ in range(R.randint(1, 3))]
        r = R.random()
        p = mutate(R.choice(a)) if r < 0.6 else (rand_text(0, 12) if r < 0.9 else "")
        if R.random() < 0.2:
            p = "\n" * R.randint(0, 2) + p + "\n" + rand_text(0, 6)
        add(R.choice(ds), p, a, tag="qa_random")


def sentence(k, pool=EN_WORDS):
    return " ".join(words(k, pool))


def gen_rouge():
    ds = ["gov_report", "qmsum", "multi_news", "samsum"]
    fixed = [("", "a b"), ("a b", ""), (".", "a b"), ("a b", "."), ("...", "x."), (". . .", "x"),
             ("a. ", "a"), (" ", " "), (" ", "a"), ("a .b", "a b"), ("a..b", "a b."),
             ("The cat sat. The dog ran.", "The cat ran. A dog sat."), ("x y z", "x y z"),
             ("a a a a", "a"), ("a\tb\nc", "a b c"), ("hello world", "Hello World"),
             ("三 个 字", "三 个"), ("café. cafe\u0301", "café"), ("Mr. Smith went. Home.", "Mr Smith went home"),
             ("a b c d e f", "f e d c b a"), ("1.5 million", "1 5 million"), ("\u3000", "a")]
    for p, a in fixed:
        add(R.choice(ds), p, [a], tag="rouge_fixed")
    for _ in range(380):
        ref = ". ".join(sentence(R.randint(1, 18)) for _ in range(R.randint(1, 5))) + ("." if R.random() < 0.7 else "")
        r = R.random()
        if r < 0.5:
            pred = ". ".join(mutate(s) for s in ref.split(". "))
        elif r < 0.85:
            pred = rand_text(0, 40)
        else:
            pred = R.choice(["", ".", "..", " . ", "\n", rand_text(1, 5) + "\n\n" + rand_text(1, 5)])
        answers = [ref] + ([rand_text(1, 20)] if R.random() < 0.2 else [])
        add(R.choice(ds), pred, answers, tag="rouge_random")
    # Long single sentences around the recursion threshold (identical and near-identical).
    vocab = ["w%d" % i for i in range(3000)]
    for k in (985, 989, 990, 991, 992, 1000):
        s = " ".join(vocab[:k])
        add("gov_report", s, [s], tag="rouge_recursion_identical")
    base = vocab[:700]
    add("qmsum", " ".join(base + vocab[1000:1300]), [" ".join(base)], tag="rouge_recursion_long_pred")
    add("qmsum", " ".join(base), [" ".join(base + vocab[1000:1300])], tag="rouge_recursion_long_ref")
    add("qmsum", " ".join(vocab[:500]), [" ".join(vocab[500:1000])], tag="rouge_recursion_disjoint")
    add("qmsum", " ".join(vocab[:300]), [" ".join(vocab[300:1000])], tag="rouge_recursion_disjoint2")
    add("multi_news", " ".join(vocab[:995]) + ". end", [" ".join(vocab[:995])], tag="rouge_recursion_two")
    add("multi_news", " ".join(vocab[:400]) + ". " + " ".join(vocab[:400]), [" ".join(vocab[:400])],
        tag="rouge_long_ok")


TREC = ["Abbreviation", "Expression abbreviated", "Animal", "Organ of body", "Color", "Invention, book and other creative piece",
        "Currency name", "Disease and medicine", "Event", "Food", "Musical instrument", "Language", "Letter like a-z",
        "Other entity", "Plant", "Product", "Religion", "Sport", "Element and substance", "Symbols and sign",
        "Techniques and method", "Equivalent term", "Vehicle", "Word with a special property", "Definition of something",
        "Description of something", "Manner of an action", "Reason", "Group or organization of persons",
        "Individual", "Title of a person", "Description of a person", "City", "Country", "Mountain", "Other location",
        "State", "Postcode or other code", "Number of something", "Date", "Distance, linear measure", "Price",
        "Order, rank", "Other number", "Lasting time of something", "Percent, fraction", "Speed", "Temperature",
        "Size, area and volume", "Weight"]
LSHT = ["农业、农村", "军事", "文学、艺术", "体育", "传媒业", "电子信息产业", "文化、休闲娱乐", "社会、劳动", "经济管理", "金融业",
        "工业", "科学技术", "教育", "医药、卫生", "政治", "环境", "法律、司法", "交通", "外交", "国际"]


def gen_classification():
    small = ["Location", "Other location", "City", "Country", "State", "Number", "Other number", "Date", "Entity",
             "Other entity", "Person", "Description", "Description of a person", "Description of something"]
    fixed = [("Other location", "Location", small), ("Location", "Other location", small),
             ("Description of a person", "Description of a person", small),
             ("Other location Location City", "City", small), ("", "City", small), ("City", "", small),
             ("City City", "City", ["City", "City", "Country"]), ("Other numberNumber", "Other number", small),
             ("Type: Date\nNumber", "Date", small), ("\n\nCountry\nCity", "City", small),
             ("a b c", "a b", ["a", "b", "a b", "a b c", "c"]), ("x", "x", ["", "x"]), ("", "", ["", "y"]),
             ("ab", "ab", ["a", "a", "b", "ab"]), ("aab", "ab", ["a", "b", "a", "ab", "b"])]
    for p, a, c in fixed:
        add(R.choice(["trec", "lsht"]) if c is not small else "trec", p, [a], c, tag="cls_fixed")
    for _ in range(320):
        zh = R.random() < 0.35
        classes = LSHT if zh else (TREC if R.random() < 0.6 else small)
        gt = R.choice(classes)
        picks = R.sample(classes, R.randint(0, 4))
        r = R.random()
        if r < 0.4:
            picks.append(gt)
        R.shuffle(picks)
        sep = R.choice([" ", ", ", "\n", "", " and "])
        pred = sep.join(picks)
        if R.random() < 0.3:
            pred = R.choice(["Type: ", "\n", "类别：", ""]) + pred
        cls = list(classes)
        if R.random() < 0.1:
            cls = cls + [R.choice(cls)]
        add("lsht" if zh else "trec", pred, [gt], cls, tag="cls_random")


DIGITS = ["0", "1", "2", "7", "12", "30", "007", "١٢", "٣", "１２", "²", "Ⅻ", "৩", "12.5", "3,4"]


def gen_numbers():
    fixed_r = [("Paragraph 12", "Paragraph 12"), ("12", "Paragraph 12"), ("Paragraph 1", "Paragraph 12"),
               ("The answer is Paragraph 3 and 12", "Paragraph 12"), ("", "Paragraph 4"), ("none", "Paragraph 4"),
               ("Paragraph ١٢", "Paragraph ١٢"), ("12", "Paragraph ١٢"), ("Paragraph 012", "Paragraph 12"),
               ("5", "Paragraph 5 and Paragraph 7"), ("7", "Paragraph  7 Paragraph 9"), ("9", "Paragraph  7 Paragraph 9"),
               ("3", "no paragraph here"), ("3", "paragraph 3")]
    for p, g in fixed_r:
        add("passage_retrieval_en", p, [g], tag="retr_fixed")
    fixed_z = [("段落5", "段落5"), ("答案是段落3", "段落3"), ("段落 3", "段落3"), ("3和4", "段落4"), ("", "段落1"),
               ("段落１２", "段落１２"), ("12", "段落１２"), ("1", "Paragraph 1")]
    for p, g in fixed_z:
        add("passage_retrieval_zh", p, [g], tag="retrzh_fixed")
    fixed_c = [("7", "7"), ("07", "7"), ("There are 7 unique paragraphs.", "7"), ("7 or 8", "7"), ("", "7"),
               ("seven", "7"), ("١٢", "12"), ("12.5", "12"), ("1 2 3 12 12", "12"), ("-3", "3")]
    for p, g in fixed_c:
        add("passage_count", p, [g], tag="count_fixed")
    for _ in range(200):
        ds = R.choice(["passage_retrieval_en", "passage_retrieval_zh", "passage_count"])
        gid = R.choice(["1", "2", "7", "12", "30", "١٢", "１２"])
        nums = [R.choice(DIGITS + [gid] * 3) for _ in range(R.randint(0, 5))]
        filler = ["The answer is", "Paragraph", "段落", "and", "or", ",", "", "\n", "Paragraph"]
        pred = " ".join(R.choice(filler) + (" " if R.random() < 0.5 else "") + n for n in nums)
        if ds == "passage_retrieval_en":
            gt = "Paragraph " + gid
        elif ds == "passage_retrieval_zh":
            gt = "段落" + gid
        else:
            gt = gid
        add(ds, pred, [gt], tag="num_random")


CODE = ["    return self.value", "int main(void) {", "for i in range(10):", "x = foo(a, b)  # call foo",
        "// TODO: fix", "`code`", "        if (x == null) return;", "print(\"hello, 世界\")", "}", "",
        "public static void main(String[] args) {", "self.assertEqual(a, b)", "#include <stdio.h>",
        "let y = x.map { $0 * 2 }", "url = \"http://example.com\"", "a = b // c", "s = 'naïve café'",
        "    " * 3 + "result.append(" + ", ".join("arg%d" % i for i in range(40)) + ")"]


def code_noise(line):
    ops = R.randint(0, 5)
    s = list(line)
    for _ in range(ops):
        r = R.random()
        if r < 0.4 and s:
            s.pop(R.randrange(len(s)))
        elif r < 0.8:
            s.insert(R.randint(0, len(s)), R.choice("abcxyz_(){}; .é\t"))
        elif s:
            i = R.randrange(len(s))
            s[i] = R.choice("XYZ")
    return "".join(s)


def gen_code():
    fixed = [("", ""), ("", "x"), ("x", ""), ("x", "x"), ("\n\nx = 1", "x = 1"), ("# c\nx = 1", "x = 1"),
             ("// c\n`x`\n#y", "x"), ("a // b\nc", "c"), ("a / b\nc", "a / b"), ("```python\nx = 1\n```", "x = 1"),
             ("abc", "abd"), ("a" * 250, "a" * 249 + "b"), ("ab" * 150, "ba" * 150), ("héllo", "hello"),
             ("x\r\ny", "x"), ("\n", "x"), ("12345678", "1234567"), ("abcdefgh", "abcdefghijklmnopqrstuvwx"),
             ("kitten", "sitting"), ("\t\tfoo()", "foo()")]
    for p, g in fixed:
        add(R.choice(["lcc", "repobench-p"]), p, [g], tag="code_fixed")
    for _ in range(330):
        gt = code_noise(R.choice(CODE))
        lines = []
        if R.random() < 0.3:
            lines.append(R.choice(["# comment", "// note", "```", "`x`", ""]))
        lines.append(code_noise(gt) if R.random() < 0.7 else R.choice(CODE))
        if R.random() < 0.5:
            lines.append(R.choice(CODE))
        pred = ("\n" * R.randint(0, 2) if R.random() < 0.3 else "") + "\n".join(lines)
        add(R.choice(["lcc", "repobench-p"]), pred, [gt] + ([R.choice(CODE)] if R.random() < 0.2 else []),
            tag="code_random")
    # Ratios at exact .5 boundaries (round-half-even on 100 * ratio).
    for total in (8, 40, 200, 24, 56):
        for d in range(1, 6):
            a = "a" * (total // 2)
            b = "a" * (total // 2 - d) + "b" * d
            add("lcc", a, [b], tag="code_halfway")


ZH_TEXT = ["北京是中国的首都。", "我爱自然语言处理", "他来到了网易杭研大厦", "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
           "会议讨论了预算问题，决定下周再议。", "答案：段落3", "今天天气很好！我们去公园吧？", "2024年3月15日，温度为23.5度",
           "ＡＢＣ公司发布了新产品iPhone 15", "“你好”，他说——然后离开了……", "机器学习和深度学习是人工智能的分支"]


def zh_mutate(s):
    c = list(s)
    for _ in range(R.randint(0, 3)):
        if c and R.random() < 0.5:
            c.pop(R.randrange(len(c)))
        else:
            c.insert(R.randint(0, len(c)), R.choice("的了是在和，。！ a1"))
    return "".join(c)


def gen_zh():
    for _ in range(120):
        gt = R.choice(ZH_TEXT)
        pred = zh_mutate(gt) if R.random() < 0.7 else R.choice(ZH_TEXT + ["", "。", " "])
        add(R.choice(["multifieldqa_zh"]), pred, [gt], tag="zh_qa")
    for _ in range(100):
        gt = "".join(R.sample(ZH_TEXT, R.randint(1, 3)))
        pred = zh_mutate(gt) if R.random() < 0.7 else R.choice(ZH_TEXT + ["", "。"])
        add(R.choice(["dureader", "vcsum"]), pred, [gt], tag="zh_rouge")


def gen_first_line():
    for _ in range(120):
        ds = R.choice(["trec", "triviaqa", "samsum", "lsht"])
        if ds == "trec":
            gt, cls = R.choice(TREC), TREC
        elif ds == "lsht":
            gt, cls = R.choice(LSHT), LSHT
        else:
            gt, cls = rand_text(1, 10), None
        first = gt if R.random() < 0.5 else rand_text(0, 5)
        pred = "\n" * R.randint(0, 3) + first + "\n" + (gt if R.random() < 0.5 else rand_text(0, 5))
        if R.random() < 0.2:
            pred = " \n" + pred
        add(ds, pred, [gt, rand_text(1, 6)] if R.random() < 0.3 else [gt], cls, tag="first_line")


if __name__ == "__main__":
    gen_qa()
    gen_rouge()
    gen_classification()
    gen_numbers()
    gen_code()
    gen_zh()
    gen_first_line()

    # Recursion threshold at eval.py's depth: identical sentences of k words need k+1 `_recon` calls.
    probe = {}
    for k in (990, 991):
        s = " ".join("w%d" % i for i in range(k))
        probe[k], _ = sample_score("gov_report", s, [s], None)
    assert probe[990] > 0.99 and probe[991] == 0.0, probe
    recursion_budget = 991

    out_cases = []
    for c in cases:
        score, err = sample_score(c["dataset"], c["prediction"], c["answers"], c["all_classes"])
        c["score"] = score
        c["error"] = err
        out_cases.append(c)

    # Dataset scores with eval.py's scorer on groups of cases that scored without error.
    datasets = []
    by_ds = {}
    for i, c in enumerate(out_cases):
        if c["error"] is None:
            by_ds.setdefault(c["dataset"], []).append(i)
    for ds, idx in sorted(by_ds.items()):
        for start in range(0, len(idx), 37):
            group = idx[start:start + 37]
            preds = [out_cases[i]["prediction"] for i in group]
            answers = [out_cases[i]["answers"] for i in group]
            classes = out_cases[group[0]]["all_classes"]
            if any(out_cases[i]["all_classes"] != classes for i in group):
                continue
            datasets.append({"dataset": ds, "cases": group,
                             "score": scorer(ds, preds, answers, classes)})

    # LongBench-E buckets with scorer_e (numpy mean) on the same groups, with random lengths.
    buckets = []
    for g in datasets[:40]:
        lengths = [R.choice([100, 3999, 4000, 7999, 8000, 12000]) for _ in g["cases"]]
        preds = [out_cases[i]["prediction"] for i in g["cases"]]
        answers = [out_cases[i]["answers"] for i in g["cases"]]
        classes = out_cases[g["cases"][0]]["all_classes"]
        res = scorer_e(g["dataset"], preds, answers, lengths, classes)
        buckets.append({"dataset": g["dataset"], "cases": g["cases"], "lengths": lengths,
                        "scores": {k: (None if v != v else v) for k, v in res.items()}})

    # round(x, 2) on floats, including exact binary ties and near-ties.
    rounds = []
    for x in [0.125, 0.375, 2.675, 1.005, 0.005, 0.015, 0.025, 41.455, 99.995, 100.0, 0.0, 12.345, 33.335,
              66.66666666666667, 1e-9, 50.005, 0.045, 87.125, 87.375]:
        rounds.append([x, round(x, 2)])
    for _ in range(400):
        x = R.uniform(0, 100) if R.random() < 0.5 else R.randint(0, 10000) / 100 + R.choice([0, 1e-13, -1e-13, 0.005])
        if x >= 0:
            rounds.append([x, round(x, 2)])
    for _ in range(200):
        n = R.randint(1, 300)
        xs = [R.choice([0.0, 1.0, 0.5, R.random()]) for _ in range(n)]
        rounds.append([100 * sum(xs) / n, round(100 * sum(xs) / n, 2)])

    # jieba.cut (accurate mode, HMM on) on Chinese, mixed and odd text, for the Swift port.
    jieba_texts = list(ZH_TEXT) + ["", " ", "\r\n", "a\r\nb", "iPhone15发布了", "3.14%的人", "GPT-4o和o1-mini", "C++与C#",
                                   "王小明在北京大学读书", "他说：“我们走吧！”", "１２３全角数字", "emoji😀表情", "tab\t分隔",
                                   "欧阳娜娜和迪丽热巴", "这是一个非常长的句子用来测试隐马尔可夫模型对未登录词的切分效果比如龘靐齉",
                                   "abc def", "x_y.z-w", "段落12", "第3章第4节"]
    for _ in range(150):
        jieba_texts.append("".join(R.choice(ZH_TEXT + [" ", "\n", "ABC", "12.5", "，", "hello"]) for _ in range(R.randint(1, 3))))
        jieba_texts.append(zh_mutate(R.choice(ZH_TEXT)))
    jieba_cuts = [[t, list(jieba.cut(t, cut_all=False))] for t in jieba_texts]

    means = []
    for n in (1, 5, 7, 8, 9, 15, 16, 17, 100, 128, 129, 200, 257, 500, 1000):
        xs = [R.random() for _ in range(n)]
        means.append({"values": xs, "sum": float(np.add.reduce(np.array(xs))),
                      "bucket": round(100 * np.mean(xs), 2)})

    data = {
        "generator": "tools/gen_metric_goldens.py",
        "python": sys.version.split()[0],
        "versions": {p: version(p) for p in ("rouge", "fuzzywuzzy", "python-Levenshtein", "Levenshtein",
                                               "rapidfuzz", "jieba", "numpy")},
        "recursion_budget": recursion_budget,
        "cases": out_cases,
        "datasets": datasets,
        "buckets": buckets,
        "round2": rounds,
        "numpy_means": means,
        "jieba_cuts": jieba_cuts,
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "Tests", "KVEvalTests", "Fixtures", "metric_goldens.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
        f.write("\n")
    n_err = sum(1 for c in out_cases if c["error"])
    print("%d cases (%d raise), %d dataset groups, %d bucket groups, %d round2 -> %s"
          % (len(out_cases), n_err, len(datasets), len(buckets), len(rounds), path), file=sys.stderr)
