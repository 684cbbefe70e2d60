#!/usr/bin/env python3
"""Prompt-construction fixtures: LongBench prompts as LongBench's pred.py (preset `longbench`)
and KVCache-Factory's run_longbench.py (preset `kvcache-factory`) build them, and needle prompts
as KVCache-Factory's run_needle_in_haystack.py builds them, with the reference tokenizer of
tools/reference_tokenizer.py (HF `tokenizers` from the GGUF vocab/merges).

    python3 tools/gen_prompt_fixtures.py [--model GGUF] [--haystack DIR]

Writes Tests/KVEvalTests/Fixtures/prompt_fixtures.json. Needs: tokenizers, gguf, jinja2, numpy.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_tokenizer import DEFAULT_MODEL, ReferenceTokenizer, self_check  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = json.load(open(os.path.join(ROOT, "Sources", "KVEval", "Resources", "longbench-config.json")))
dataset2prompt = CONFIG["dataset2prompt"]
dataset2maxlen = CONFIG["dataset2maxlen"]
NO_CHAT = ["trec", "triviaqa", "samsum", "lsht", "lcc", "repobench-p"]

# ------------------------------------------------------------------------------------------------
# LongBench pred.py get_pred (per record), with the model's chat template as build_chat.
# ------------------------------------------------------------------------------------------------


def build_chat(tokenizer, prompt):
    return tokenizer.chat(prompt)


def longbench_prompt(tokenizer, json_obj, dataset, max_length, preset):
    prompt_format = dataset2prompt[dataset]
    prompt = prompt_format.format(**json_obj)
    # truncate to fit max_length (we suggest truncate in the middle, since the left and right side may contain crucial instructions)
    tokenized_prompt = tokenizer(prompt)
    untruncated = len(tokenized_prompt)
    truncated = False
    if len(tokenized_prompt) > max_length:
        half = int(max_length / 2)
        prompt = tokenizer.decode(tokenized_prompt[:half], skip_special_tokens=True) + tokenizer.decode(tokenized_prompt[-half:], skip_special_tokens=True)
        truncated = True
    chat = dataset not in NO_CHAT  # chat models are better off without build prompt on these tasks
    if chat:
        prompt = build_chat(tokenizer, prompt)
    if chat and preset == "kvcache-factory":
        ids = tokenizer.encode(prompt, add_special_tokens=False)  # template carries its specials
    else:
        ids = tokenizer(prompt)
    return {"text": prompt, "ids": ids, "untruncated_length": untruncated, "truncated": truncated,
            "chat_template_applied": chat, "max_new_tokens": dataset2maxlen[dataset],
            "newline_stop_id": tokenizer.encode("\n", add_special_tokens=False)[-1] if dataset == "samsum" else None}


# ------------------------------------------------------------------------------------------------
# KVCache-Factory run_needle_in_haystack.py (HEAD c97f9d7), model_provider generic branch.
# ------------------------------------------------------------------------------------------------


def needle_span(ids, head, tail):
    """[start, end) of the needle in `ids`: past the longest common prefix with `head` (the prompt
    up to the needle) and before the longest common suffix with `tail` (the prompt after it)."""
    a = 0
    while a < min(len(head), len(ids)) and head[a] == ids[a]:
        a += 1
    s = 0
    while s < min(len(tail), len(ids) - a) and tail[len(tail) - 1 - s] == ids[len(ids) - 1 - s]:
        s += 1
    return [a, len(ids) - s]


class NeedleDriver:
    def __init__(self, enc, haystack_dir, context_lengths, document_depth_percents):
        self.enc = enc
        self.needle = "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n"
        self.retrieval_question = "The best thing to do in San Francisco is: "
        self.haystack_dir = haystack_dir
        self.context_lengths = context_lengths
        self.document_depth_percents = document_depth_percents
        self.final_context_length_buffer = 200
        self.last_insertion = None
        self.last_parts = None

    def generate_prompt(self, context):
        return f"<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {self.retrieval_question}\nAnswer:"

    def generate_context(self, context_length, depth_percent):
        context = self.read_context_files()
        context = self.encode_and_trim(context, context_length)
        context = self.insert_needle(context, depth_percent, context_length)
        return context

    def encode_text_to_tokens(self, text):
        return self.enc.encode(text, add_special_tokens=False)

    def insert_needle(self, context, depth_percent, context_length):
        tokens_needle = self.encode_text_to_tokens(self.needle)
        tokens_context = self.encode_text_to_tokens(context)
        context_length -= self.final_context_length_buffer
        if len(tokens_context) + len(tokens_needle) > context_length:
            tokens_context = tokens_context[:context_length - len(tokens_needle)]
        if depth_percent == 100:
            tokens_new_context = tokens_context + tokens_needle
            self.last_insertion = len(tokens_context)
            self.last_parts = (tokens_context, [])
        else:
            insertion_point = int(len(tokens_context) * (depth_percent / 100))
            tokens_new_context = tokens_context[:insertion_point]
            period_tokens = self.encode_text_to_tokens('.')
            while tokens_new_context and tokens_new_context[-1] not in period_tokens:
                insertion_point -= 1
                tokens_new_context = tokens_context[:insertion_point]
            self.last_insertion = insertion_point
            self.last_parts = (list(tokens_new_context), tokens_context[insertion_point:])
            tokens_new_context += tokens_needle + tokens_context[insertion_point:]
        new_context = self.decode_tokens(tokens_new_context)
        return new_context

    def get_context_length_in_tokens(self, context):
        return len(self.enc.encode(context, add_special_tokens=False))

    def read_context_files(self):
        context = ""
        max_context_length = max(self.context_lengths)
        while self.get_context_length_in_tokens(context) < max_context_length:
            for file in sorted(glob.glob(f"{self.haystack_dir}/*.txt")):
                with open(file, 'r') as f:
                    context += f.read()
        return context

    def decode_tokens(self, tokens, context_length=None):
        return self.enc.decode(tokens[:context_length], skip_special_tokens=True)

    def encode_and_trim(self, context, context_length):
        tokens = self.enc.encode(context, add_special_tokens=False)
        if len(tokens) > context_length:
            context = self.decode_tokens(tokens, context_length)
        return context

    def cell(self, context_length, depth_percent):
        context = self.generate_context(context_length, depth_percent)
        prompt = self.generate_prompt(context)
        ids = self.enc(prompt)
        before, after = self.last_parts
        head = self.enc("<|im_start|> This is a very long story book: <book> " + self.decode_tokens(before))
        tail = self.enc.encode(self.decode_tokens(after) + f" </book>.\n Based on the content of the book, Question: {self.retrieval_question}\nAnswer:", add_special_tokens=False)
        return {"length": int(context_length), "depth": int(depth_percent), "ids": ids,
                "needle_span": needle_span(ids, head, tail), "insertion_point": self.last_insertion}


CHAT_QUESTION = "What is the best thing to do in San Francisco? Answer in one sentence."


def chat_cell(driver, context_length, depth_percent):
    """The `chat` protocol: the driver's haystack with the needle, then the question, as the
    user message inside the model's chat template with the generation prompt (as the gkamradt
    driver, kvpress and LongBench ask a chat model); ids without an added BOS (the template
    carries its specials)."""
    enc = driver.enc
    context = driver.generate_context(context_length, depth_percent)
    user = f"{context}\n{CHAT_QUESTION}"
    prompt = enc.chat(user)
    ids = enc.encode(prompt, add_special_tokens=False)
    at = prompt.index(user)
    chat_head, chat_tail = prompt[:at], prompt[at + len(user):]
    before, after = driver.last_parts
    head = enc.encode(chat_head + driver.decode_tokens(before), add_special_tokens=False)
    tail = enc.encode(driver.decode_tokens(after) + "\n" + CHAT_QUESTION + chat_tail, add_special_tokens=False)
    return {"length": int(context_length), "depth": int(depth_percent), "ids": ids,
            "needle_span": needle_span(ids, head, tail), "insertion_point": driver.last_insertion}


WORDS = ["colour", "weight", "price", "origin", "owner", "status", "length", "age"]


def hand_written_long(n):
    """A long, hand-written-style context (no downloaded text), ~10 tokens a sentence."""
    return " ".join("Fact %d: the %s of item %d is %d." % (i, WORDS[i % len(WORDS)], i, (i * 7919) % 1000)
                    for i in range(n))


def longbench_records():
    short = ("The committee met on Tuesday. It reviewed the budget for 2024 and the new library plan.\n"
             "Alice proposed a 5% increase; Bob disagreed. The vote was postponed until next month.")
    odd = "Line one.\n\nLine two: 数字 1234 ünïcödé {braces} <|im_end|> end.\r\n\tTabbed   spaces."
    long = hand_written_long(300)
    recs = []
    for ds in CONFIG["datasets_v1"]:
        base = {"input": "What does the text say about {this}?", "answers": ["x"], "length": 10, "dataset": ds,
                "language": CONFIG["language"][ds], "all_classes": None}
        recs.append(dict(base, context=short, _id=ds + "-short"))
        recs.append(dict(base, context=odd, _id=ds + "-odd"))
    for ds in ["hotpotqa", "gov_report", "trec", "samsum", "lcc", "narrativeqa", "passage_retrieval_en", "multifieldqa_zh"]:
        recs.append({"input": "Which item has the highest value?", "context": long, "answers": ["x"], "length": 4000,
                     "dataset": ds, "language": CONFIG["language"][ds], "all_classes": None, "_id": ds + "-long"})
    return recs


def digest(ids):
    """FNV-1a 64 of the comma-joined decimal ids (exact-match check without committing ids)."""
    h = 0xcbf29ce484222325
    for b in ",".join(str(i) for i in ids).encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--haystack", default=os.path.expanduser("~/.cache/pyramidkv/haystack/PaulGrahamEssays"))
    ap.add_argument("--vectors", default=os.path.join(ROOT, "..", "shared", "reference", "vectors", "tokenizer_vectors.json"))
    args = ap.parse_args()
    tok = ReferenceTokenizer(args.model)
    if os.path.exists(args.vectors):
        self_check(tok, args.vectors)

    lb = []
    for rec in longbench_records():
        for preset, max_length in (("longbench", 2000), ("kvcache-factory", 1000)):
            out = longbench_prompt(tok, {"context": rec["context"], "input": rec["input"]}, rec["dataset"], max_length, preset)
            lb.append(dict(out, record=rec, preset=preset, max_length=max_length))

    lengths = [1000, 2000, 4000, 8000]
    depths = [0, 33, 56, 100]
    driver = NeedleDriver(tok, args.haystack, np.array(lengths), np.array(depths))
    def grid(make_cell):
        cells = []
        for L in driver.context_lengths:
            for D in driver.document_depth_percents:
                c = make_cell(L, D)
                ids = c.pop("ids")
                # Essay-derived ids are not committed: count, FNV-1a hash and the prompt's own head/tail only.
                c.update(n_ids=len(ids), ids_fnv1a64=digest(ids), head_ids=ids[:8], tail_ids=ids[-20:])
                cells.append(c)
        return cells
    needle = grid(driver.cell)
    needle_chat = grid(lambda L, D: chat_cell(driver, L, D))
    # Default grid depths as the driver computes them.
    linspace10 = np.round(np.linspace(0, 100, num=10, endpoint=True)).astype(int).tolist()

    data = {"generator": "tools/gen_prompt_fixtures.py", "model": os.path.basename(args.model),
            "haystack": os.path.basename(args.haystack.rstrip("/")),
            "haystack_files": sorted(os.path.basename(f) for f in glob.glob(f"{args.haystack}/*.txt")),
            "tokenizer": {"add_bos": tok.add_bos, "bos": tok.bos_id, "eos": tok.eos_id},
            "linspace10": linspace10, "longbench": lb, "needle": needle, "needle_chat": needle_chat}
    path = os.path.join(ROOT, "Tests", "KVEvalTests", "Fixtures", "prompt_fixtures.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("%d LongBench prompts (%d truncated), %d needle cells, %d chat needle cells -> %s"
          % (len(lb), sum(x["truncated"] for x in lb), len(needle), len(needle_chat), path), file=sys.stderr)
