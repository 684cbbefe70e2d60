/// RULER's token count: `len(tokenizer.tokenize(text))` (HF, no special tokens added).
struct RULERTokenCounter: Sendable {
    let tokenizer: any PromptTokenizer
    func count(_ text: String) -> Int { tokenizer.encodePlain(text).count }
}
