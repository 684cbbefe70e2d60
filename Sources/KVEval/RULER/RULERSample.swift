/// One sample as RULER writes it (the fields the project keeps).
public struct RULERSample: Sendable, Equatable {
    /// The prompt up to the answer prefix.
    public var input: String
    public var answerPrefix: String
    public var outputs: [String]
    /// Tokens of the whole prompt (input + answer prefix) plus tokens_to_generate.
    public var length: Int
    /// `questions: k`: the k − 1 other questions asked on this sample's haystack (niah tasks with
    /// several needles), empty otherwise.
    public var followUps: [RULERSample] = []

    public init(input: String, answerPrefix: String, outputs: [String], length: Int) {
        self.input = input; self.answerPrefix = answerPrefix; self.outputs = outputs; self.length = length
    }
}
