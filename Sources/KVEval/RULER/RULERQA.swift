/// RULER's QA generator (`long_context_eval/data/synthetic/qa.py` of
/// `nvidia-long-context-eval==26.3`; qa_1 SQuAD, qa_2 HotpotQA): question i (from `pre_samples`
/// 0) with its own documents, then its article's other paragraphs, then random others (global
/// `random`) up to `num_docs`, shuffled by a fresh `random.Random(seed)` and numbered
/// "Document i:\n…". The document count grows in steps of 10 on question 0 (counting
/// `input + ' ' + repr(answers)`); each sample shrinks it by 10 while too long.
///
/// RULER retries forever once 10 documents do not fit (below about 2048 tokens: its
/// `random.sample` then raises on a negative count); this port gives up with `cannotFit`.
struct RULERQA {
    let task: String
    let seed: Int
    let maxSeqLength: Int
    let counter: RULERTokenCounter
    let questions: [RULERQAData.Question]
    /// RULER's global DOCS: shuffled in place when a prompt takes every document.
    var documents: [String]
    var rng: PythonRandom
    static let template = RULERTemplates.qa

    init(task: String, seed: Int, maxSeqLength: Int, data: RULERQAData, counter: RULERTokenCounter) {
        self.task = task; self.seed = seed; self.maxSeqLength = maxSeqLength; self.counter = counter
        questions = data.questions; documents = data.documents
        rng = PythonRandom(seed: seed)
    }

    func sampleError() -> RULERError {
        .pythonException(task: task, reason: "ValueError: Sample larger than population or is negative")
    }

    /// `generate_input_output(index, num_docs)`.
    mutating func generateInputOutput(_ index: Int, _ numDocs: Int) throws(RULERError) -> (String, [String]) {
        let q = questions[index]
        var all: [String]
        if numDocs < documents.count {
            var ids: [Int]
            if numDocs - q.context.count > q.moreContext.count {
                let taken = Set(q.context + q.moreContext)
                let addition = (0..<documents.count).filter { !taken.contains($0) }
                let k = max(0, numDocs - q.context.count - q.moreContext.count)
                guard k <= addition.count else { throw sampleError() }
                ids = q.context + q.moreContext + rng.sample(addition, k: k)
            } else {
                let k = numDocs - q.context.count
                guard k >= 0 && k <= q.moreContext.count else { throw sampleError() }
                ids = q.context + rng.sample(q.moreContext, k: k)
            }
            all = ids.map { documents[$0] }
            var fresh = PythonRandom(seed: seed)
            fresh.shuffle(&all)
        } else {
            var fresh = PythonRandom(seed: seed)
            fresh.shuffle(&documents)  // all_docs = DOCS: the shuffle reorders DOCS itself
            all = documents
        }
        let context = all.enumerated().map {
            RULERText.format(RULERTemplates.document, ["i": String($0.offset + 1), "document": $0.element])
        }.joined(separator: "\n\n")
        return (RULERText.format(Self.template.prompt, ["context": context, "query": q.query]), q.outputs)
    }

    /// `generate_samples`.
    mutating func generateSamples(numSamples: Int) throws(RULERError) -> [RULERSample] {
        guard numSamples <= questions.count else {
            throw .invalidArgument(task: task, reason: "num_samples \(numSamples) is more than the \(questions.count) questions")
        }
        let tokensToGenerate = Self.template.tokensToGenerate
        let incremental = 10
        let numDocs = try RULERSizing.grow(incremental: incremental, maxSeqLength: maxSeqLength, fixed: tokensToGenerate,
                                           capAfterStep: documents.count) { n throws(RULERError) in
            let (text, answer) = try generateInputOutput(0, n)
            return counter.count(text + " " + PyRepr.list(answer))
        }

        var out: [RULERSample] = []
        for index in 0..<numSamples {
            let (text, answer, length) = try RULERSizing.fittingSample(
                task: task, start: numDocs, incremental: incremental, maxSeqLength: maxSeqLength) { used throws(RULERError) in
                do throws(RULERError) {
                    let (text, answer) = try generateInputOutput(index, used)
                    return (text, answer, counter.count(text) + tokensToGenerate)
                } catch {
                    guard case .pythonException = error else { throw error }
                    return nil
                }
            }
            let (input, prefix) = RULERText.splitAtLast(text, Self.template.answerPrefixMarker)
            out.append(RULERSample(input: input, answerPrefix: prefix, outputs: answer, length: length))
        }
        return out
    }
}
