import Foundation

/// The text forms of a `ResultsTable`: Markdown, CSV, JSON, LaTeX.
public enum ResultsTableFormat: String, Sendable, CaseIterable {
    case md
    case csv
    case json
    case latex

    public func render(_ table: ResultsTable) -> String {
        let header = ["policy", "budget"] + table.columns + ["average"]
        let cells = table.rows.map { row in
            [row.policy, String(row.budget)] + table.columns.map { column in
                row.scores[column].map(Self.number) ?? "–"
            } + [Self.number(row.average)]
        }
        switch self {
        case .md:
            let lines = ["| " + header.joined(separator: " | ") + " |",
                         "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
                + cells.map { "| " + $0.joined(separator: " | ") + " |" }
            return lines.joined(separator: "\n") + "\n"
        case .csv:
            return ([header] + cells).map { $0.map(Self.csvField).joined(separator: ",") }
                .joined(separator: "\n") + "\n"
        case .json:
            // Plain keys: dataset names must come out exactly as they are (no key strategy).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(table)) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        case .latex:
            var lines = ["\\begin{tabular}{ll" + String(repeating: "r", count: table.columns.count + 1) + "}",
                         "\\toprule",
                         header.map(Self.latexEscaped).joined(separator: " & ") + " \\\\",
                         "\\midrule"]
            lines += cells.map { $0.map(Self.latexEscaped).joined(separator: " & ") + " \\\\" }
            lines += ["\\bottomrule", "\\end{tabular}"]
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func number(_ value: Double) -> String { String(format: "%.2f", value) }

    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func latexEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "_&%$#{}".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
