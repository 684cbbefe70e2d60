/// Character classes used by the pre-tokenizer regexes (\p{L}, \p{N}, \p{P}, \s), as in
/// llama.cpp's unicode tables; `undefined` marks unassigned code points, which no class matches.
struct UnicodeFlags {
    let isLetter: Bool
    let isNumber: Bool
    let isPunctuation: Bool
    let isWhitespace: Bool
    let undefined: Bool

    static let outOfRange = UnicodeFlags(isLetter: false, isNumber: false, isPunctuation: false, isWhitespace: false, undefined: true)

    init(isLetter: Bool, isNumber: Bool, isPunctuation: Bool, isWhitespace: Bool, undefined: Bool) {
        self.isLetter = isLetter
        self.isNumber = isNumber
        self.isPunctuation = isPunctuation
        self.isWhitespace = isWhitespace
        self.undefined = undefined
    }

    init(_ s: Unicode.Scalar) {
        if s.value < 128 {
            let v = s.value
            isLetter = (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            isNumber = v >= 48 && v <= 57
            isWhitespace = v == 32 || (v >= 9 && v <= 13)
            isPunctuation = !isLetter && !isNumber && !isWhitespace && v > 32 && v != 127
                && !"$+<=>^`|~".unicodeScalars.contains(s)
            undefined = false
            return
        }
        let p = s.properties
        isWhitespace = p.isWhitespace
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            isLetter = true; isNumber = false; isPunctuation = false; undefined = false
        case .decimalNumber, .letterNumber, .otherNumber:
            isLetter = false; isNumber = true; isPunctuation = false; undefined = false
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            isLetter = false; isNumber = false; isPunctuation = true; undefined = false
        case .unassigned:
            isLetter = false; isNumber = false; isPunctuation = false; undefined = true
        default:
            isLetter = false; isNumber = false; isPunctuation = false; undefined = false
        }
    }

    /// Matches `[^\s\p{L}\p{N}]` (and is a defined code point).
    var isOther: Bool { !(isWhitespace || isLetter || isNumber) && !undefined }
}
