import Foundation
import Testing
import TestSupport

/// The committed results (docs/results/<model>/<experiment>.jsonl.gz, with the table made from
/// the same data beside it as <experiment>.table.md) enter a fresh coordinator process through
/// `results import` and give back the same table, byte for byte; a second import stores nothing.
/// A committed paired comparison (<candidate>.against.<baseline>.md, from `results compare
/// candidate --against baseline --format md`) is rebuilt from the imports too.
@Suite(.serialized)
struct CommittedResultsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/results")

    /// (export, committed table) pairs under docs/results.
    static func exports() -> [(export: URL, table: URL)] {
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.filter { $0.lastPathComponent.hasSuffix(".jsonl.gz") }.sorted { $0.path < $1.path }.map { export in
            let name = export.lastPathComponent.replacingOccurrences(of: ".jsonl.gz", with: "")
            return (export, export.deletingLastPathComponent().appendingPathComponent(name + ".table.md"))
        }
    }

    /// Committed paired comparisons between two committed experiments.
    static func comparisons() -> [URL] {
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.filter { $0.lastPathComponent.hasSuffix(".md") && $0.lastPathComponent.contains(".against.") }
            .sorted { $0.path < $1.path }
    }

    @Test func importedExportsRebuildTheCommittedTables() async throws {
        try CLIProcessError.requireBinary()
        let pairs = Self.exports()
        #expect(!pairs.isEmpty, "no exports under \(Self.root.path)")
        let directory = try TemporaryDirectory()
        let coordinator = try await CoordinatorProcess(directory: directory)
        let environment = ["PYRAMIDKV_TOKEN": adminToken, "PYRAMIDKV_COORDINATOR": coordinator.url]
        for (export, table) in pairs {
            let experiment = export.lastPathComponent.replacingOccurrences(of: ".jsonl.gz", with: "")
            let first = try PyramidKVExecutable.run(["results", "import", export.path], environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("→ \(experiment)"), "\(first.stdout)")
            let again = try PyramidKVExecutable.run(["results", "import", export.path], environment: environment)
            #expect(again.stdout.contains("jobs 0 new") && again.stdout.contains("predictions 0 stored"), "\(again.stdout)")
            let rebuilt = try PyramidKVExecutable.run(["results", "table", experiment, "--format", "md"], environment: environment)
            #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
            let committed = try String(contentsOf: table, encoding: .utf8)
            #expect(rebuilt.stdout == committed, "\(experiment): the imported table differs from \(table.path)")
        }
        for file in Self.comparisons() {
            let names = file.lastPathComponent.replacingOccurrences(of: ".md", with: "").components(separatedBy: ".against.")
            let rebuilt = try PyramidKVExecutable.run(["results", "compare", names[0], "--against", names[1], "--format", "md"],
                                                      environment: environment)
            #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
            let committed = try String(contentsOf: file, encoding: .utf8)
            #expect(rebuilt.stdout == committed, "the comparison rebuilt from the imports differs from \(file.path)")
        }
        #expect(coordinator.terminate().status == 0)
    }
}
