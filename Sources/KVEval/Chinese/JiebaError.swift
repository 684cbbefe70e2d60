/// Why jieba 0.42.1 segmentation is unavailable.
public enum JiebaError: Error, Equatable, CustomStringConvertible, Sendable {
    case dataMissing(directory: String)
    case invalidDictionaryLine(file: String, line: Int, text: String)
    case invalidHMM(file: String, field: String)

    public var description: String {
        switch self {
        case .dataMissing(let dir):
            return "jieba 0.42.1 data not found in \(dir) (run tools/fetch_jieba.py, or set PYRAMIDKV_JIEBA_DIR)"
        case let .invalidDictionaryLine(file, line, text):
            return "\(file):\(line): invalid dictionary entry \(text.debugDescription)"
        case let .invalidHMM(file, field):
            return "\(file): field \"\(field)\" missing or malformed"
        }
    }
}
