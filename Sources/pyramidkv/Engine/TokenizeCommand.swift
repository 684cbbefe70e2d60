import ArgumentParser
import KVEngine

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Token ids of a text with the model's tokenizer (as llama.cpp).")

    @OptionGroup var model: ModelOptions
    @Option(help: "Text to tokenize.") var text: String?
    @Option(help: "File whose contents to tokenize.") var file: String?
    @Flag(help: "Parse special-token texts such as <|im_start|> into their ids.") var special = false
    @Flag(help: "Print {\"ids\": [...]}.") var json = false

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give exactly one of --text or --file") }
    }

    func run() throws {
        let input = try text ?? readTextFile(file!, option: "--file")
        let ids = try model.loadTokenizer().encode(input, parseSpecial: special)
        if json {
            struct Out: Encodable { let ids: [Int32] }
            try JSONOutput.print(Out(ids: ids))
        } else {
            print(ids.map(String.init).joined(separator: " "))
        }
    }
}
