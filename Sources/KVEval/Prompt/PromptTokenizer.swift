/// What prompt construction needs from a model's tokenizer, in Hugging Face terms (the
/// reference scripts call HF tokenizers). Added special-token strings in the text are parsed in
/// both encodings, as HF does.
public protocol PromptTokenizer: Sendable {
    /// `tokenizer(text).input_ids` (`add_special_tokens=True`: BOS when the model adds one).
    func encodeWithSpecial(_ text: String) -> [Int32]
    /// `tokenizer.encode(text, add_special_tokens=False)`.
    func encodePlain(_ text: String) -> [Int32]
    /// `tokenizer.decode(ids, skip_special_tokens=True)`.
    func decodeSkippingSpecial(_ ids: [Int32]) -> String
    /// Every id that ends generation (the model's EOS set).
    var eosIDs: Set<Int32> { get }
    /// The model's chat template around one user message, with the generation prompt.
    func chat(user: String) -> String
}
