import Foundation

/// Renders a `LongBenchScoreReport` as a terminal table, JSON or CSV.
public enum ScoreReportFormat: String, Sendable, CaseIterable {
    case table, json, csv

    public func render(_ r: LongBenchScoreReport) -> String {
        switch self {
        case .table: return Self.table(r)
        case .json: return Self.json(r)
        case .csv: return Self.csv(r)
        }
    }

    static func fmt(_ x: Double) -> String { x.isNaN ? "-" : String(format: "%.2f", x) }

    static func averageOrder(_ r: LongBenchScoreReport) -> [String] {
        r.averages.keys.sorted { a, b in
            let rank: (String) -> Int = { $0 == "paper_avg_16" ? 2 : ($0 == "mean" ? 3 : ($0.hasSuffix(".avg") ? 1 : 0)) }
            return rank(a) != rank(b) ? rank(a) < rank(b) : a < b
        }
    }

    static func table(_ r: LongBenchScoreReport) -> String {
        let hasBuckets = !r.buckets.isEmpty
        var rows: [[String]] = [["dataset", "n", "score"] + (hasBuckets ? LongBenchEBuckets.names : [])]
        for d in r.datasetOrder {
            var row = [d, "\(r.counts[d] ?? 0)", fmt(r.datasets[d] ?? .nan)]
            if hasBuckets { row += LongBenchEBuckets.names.map { fmt(r.buckets[d]?[$0] ?? .nan) } }
            rows.append(row)
        }
        var lines = align(rows)
        if !r.averages.isEmpty {
            lines.append("")
            lines += align([["average", "score"]] + averageOrder(r).map { [$0, fmt(r.averages[$0]!)] })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func align(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        var out: [String] = []
        for (i, row) in rows.enumerated() {
            let cells = row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }
            out.append(cells.joined(separator: "  "))
            if i == 0 { out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return out
    }

    static func csv(_ r: LongBenchScoreReport) -> String {
        var lines = ["kind,name,n,score,0-4k,4-8k,8k+"]
        func q(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func num(_ x: Double?) -> String { x.map { $0.isNaN ? "" : "\($0)" } ?? "" }
        for d in r.datasetOrder {
            let b = r.buckets[d]
            lines.append(["dataset", q(d), "\(r.counts[d] ?? 0)", num(r.datasets[d]),
                          num(b?["0-4k"]), num(b?["4-8k"]), num(b?["8k+"])].joined(separator: ","))
        }
        for a in averageOrder(r) { lines.append("average,\(q(a)),,\(num(r.averages[a])),,,") }
        return lines.joined(separator: "\n") + "\n"
    }

    struct JSONReport: Encodable {
        struct Sample: Encodable {
            let _id: String?
            let dataset: String
            let score: Double
            let file: String
            let line: Int
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                if let _id { try c.encode(_id, forKey: .init("_id")) } else { try c.encodeNil(forKey: .init("_id")) }
                try c.encode(dataset, forKey: .init("dataset"))
                try c.encode(score, forKey: .init("score"))
                try c.encode(file, forKey: .init("file"))
                try c.encode(line, forKey: .init("line"))
            }
        }
        struct Key: CodingKey {
            let stringValue: String
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
        let samples: [Sample]
        let datasets: [String: Double]
        let buckets: [String: [String: Double?]]?
        let averages: [String: Double]
    }

    static func json(_ r: LongBenchScoreReport) -> String {
        let report = JSONReport(
            samples: r.samples.map { .init(_id: $0.id, dataset: $0.dataset, score: $0.score, file: $0.file, line: $0.line) },
            datasets: r.datasets,
            buckets: r.buckets.isEmpty ? nil : r.buckets.mapValues { $0.mapValues { $0.isNaN ? nil : $0 } },
            averages: r.averages)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? enc.encode(report), let s = String(data: data, encoding: .utf8) else {
            return "{}"  // unreachable: every value above is finite or nil
        }
        return s + "\n"
    }
}
