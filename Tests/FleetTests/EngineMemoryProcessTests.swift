import Foundation
import KVEngine
import Testing

/// Issue 11: weights stay in their GGUF type, so a process that loaded the model and ran it
/// holds about the file's size, not the 5× an fp32 copy took; and `PYRAMIDKV_KERNEL` picks the
/// variant that runs, refusing names it does not know. Each run is its own `pyramidkv bench`
/// process, so its peak RSS is its own.
@Suite(.serialized)
struct EngineMemoryProcessTests {
    struct Report: Decodable {
        struct Row: Decodable { let peak_rss_mib: Double; let kv_bytes: Int }
        let kernel: String
        let rows: [Row]
    }

    static func bench(kernel: String?) throws -> (status: Int32, report: Report?, stderr: String) {
        try #require(PyramidKVExecutable.url != nil, "pyramidkv is not built (swift build)")
        try #require(FileManager.default.fileExists(atPath: DefaultAssets.modelPath), "the default model is missing (make assets)")
        let r = try PyramidKVExecutable.run(["bench", "--context", "64", "--decode", "2", "--threads", "2", "--json"],
                                            environment: kernel.map { [KernelRuntime.variantVariable: $0] } ?? [:])
        let report = r.status == 0 ? try JSONDecoder().decode(Report.self, from: Data(r.stdout.utf8)) : nil
        return (r.status, report, r.stderr)
    }

    @Test("peak RSS of a process that ran the model is the GGUF's size plus caches")
    func residentMemoryIsTheFile() throws {
        let r = try Self.bench(kernel: nil)
        let report = try #require(r.report, "bench failed: \(r.stderr)")
        let fileMiB = Double(try FileManager.default.attributesOfItem(atPath: DefaultAssets.modelPath)[.size] as! Int) / 1_048_576
        let peak = report.rows[0].peak_rss_mib
        // The fp32 copy of the 135M model alone was 520 MiB; the runtime, tokenizer and scratch
        // take well under 160 MiB.
        #expect(peak < fileMiB + 160, "peak RSS \(peak) MiB for a \(fileMiB) MiB model file")
        #expect(peak > fileMiB * 0.9, "peak RSS \(peak) MiB: were the weights read at all?")
    }

    @Test("PYRAMIDKV_KERNEL forces each variant this CPU runs, and the bench reports it")
    func forcedVariants() throws {
        for v in KernelRuntime.supported {
            let r = try Self.bench(kernel: v.rawValue)
            let report = try #require(r.report, "\(v.rawValue): \(r.stderr)")
            #expect(report.kernel == v.rawValue)
        }
    }

    @Test("an unknown PYRAMIDKV_KERNEL is refused with the variable named")
    func unknownVariant() throws {
        let r = try Self.bench(kernel: "sse9")
        #expect(r.status != 0)
        #expect(r.stderr.contains("PYRAMIDKV_KERNEL=sse9: unknown kernel variant"), "\(r.stderr)")
    }
}
