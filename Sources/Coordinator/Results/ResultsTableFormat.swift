import Foundation
import Statistics

/// The text forms of a `ResultsTable`: Markdown, CSV, JSON, LaTeX. Every form carries the 95 %
/// intervals: "48.20 ± 1.30" (Markdown), ci_low/ci_high/n columns (CSV), the cells (JSON),
/// `48.2\,{\scriptsize±1.3}` (LaTeX).
public enum ResultsTableFormat: String, Sendable, CaseIterable {
    case md
    case csv
    case json
    case latex

    public func render(_ table: ResultsTable) -> String {
        switch self {
        case .md: markdown(table)
        case .csv: csv(table)
        case .json: json(table)
        case .latex: latex(table)
        }
    }

    private func markdown(_ table: ResultsTable) -> String {
        let header = ["policy", "budget"] + table.columns + ["average"]
        var lines = ["| " + header.joined(separator: " | ") + " |",
                     "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        for row in table.rows {
            let cells = table.columns.map { row.cells[$0].map(Self.plusMinus) ?? "–" }
            lines.append("| " + ([row.policy, row.budget.map(String.init) ?? ""] + cells
                                  + [row.average.map(Self.plusMinus) ?? "–"]).joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("\(table.title); score = 100 · mean per-sample score ± half the 95 % bootstrap interval "
                     + "(\(Bootstrap.defaultResamples) resamples, seed \(Bootstrap.defaultSeed)); n per cell: "
                     + Self.sampleCounts(table))
        if table.unscored > 0 { lines.append("\(table.unscored) predictions not scored yet (left out)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func csv(_ table: ResultsTable) -> String {
        var header = ["policy", "budget"]
        for column in table.columns + ["average"] {
            header += [column, column + "_ci_low", column + "_ci_high", column + "_n"]
        }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for row in table.rows {
            var fields = [row.policy, row.budget.map(String.init) ?? ""]
            for cell in table.columns.map({ row.cells[$0] }) + [row.average] {
                fields += cell.map { [Self.number($0.score), Self.number($0.ciLow), Self.number($0.ciHigh), String($0.n)] }
                    ?? ["", "", "", "0"]
            }
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func json(_ table: ResultsTable) -> String {
        // Plain keys: dataset names must come out exactly as they are (no key strategy).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(table)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func latex(_ table: ResultsTable) -> String {
        let header = ["policy", "budget"] + table.columns + ["average"]
        var lines = ["\\begin{tabular}{ll" + String(repeating: "r", count: table.columns.count + 1) + "}",
                     "\\toprule",
                     header.map(Self.latexEscaped).joined(separator: " & ") + " \\\\",
                     "\\midrule"]
        for row in table.rows {
            let cells = (table.columns.map { row.cells[$0] } + [row.average]).map { cell in
                cell.map { String(format: "%.1f\\,{\\scriptsize±%.1f}", $0.score, $0.plusMinus) } ?? "--"
            }
            lines.append(([Self.latexEscaped(row.policy), row.budget.map(String.init) ?? ""] + cells).joined(separator: " & ") + " \\\\")
        }
        lines += ["\\bottomrule", "\\end{tabular}"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func plusMinus(_ cell: ResultsTable.Cell) -> String {
        String(format: "%.2f ± %.2f", cell.score, cell.plusMinus)
    }

    /// "needle 9; qasper 20–25": the n of each column over the rows.
    static func sampleCounts(_ table: ResultsTable) -> String {
        table.columns.map { column in
            let counts = table.rows.compactMap { $0.cells[column]?.n }
            guard let low = counts.min(), let high = counts.max() else { return "\(column) 0" }
            return low == high ? "\(column) \(low)" : "\(column) \(low)–\(high)"
        }.joined(separator: "; ")
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
