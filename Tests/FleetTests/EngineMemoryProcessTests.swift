import Foundation
import KVEngine
import Testing
import Assets

/// Issue 11: weights stay in their GGUF type, so a process that loaded the model and ran it
/// holds about the file's size, not the 5× an fp32 copy took; and `PYRAMIDKV_KERNEL` picks the
/// variant that runs, refusing names it does not know. Each run is its own `pyramidkv bench`
/// process, so its peak RSS is its own.
@Suite(.serialized)
struct EngineMemoryProcessTests {
    struct Report: Decodable {
        struct Row: Decodable { let peak_rss_mib: Double; let kv_bytes: Int }
        let kernel: String
        let activations: String
        let nice: Int?
        let kernel_threads_nice: [Int]?
        let rows: [Row]
    }

    static func bench(kernel: String?, extra: [String] = [], environment: [String: String] = [:]) throws
        -> (status: Int32, report: Report?, stderr: String) {
        try #require(PyramidKVExecutable.url != nil, "pyramidkv is not built (swift build)")
        try #require(FileManager.default.fileExists(atPath: DefaultAssets.modelPath), "the default model is missing (make assets)")
        var env = environment
        if let kernel { env[KernelRuntime.variantVariable] = kernel }
        let r = try PyramidKVExecutable.run(["bench", "--context", "64", "--decode", "2", "--threads", "2", "--json"] + extra,
                                            environment: env)
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

    @Test("PYRAMIDKV_KQ_VBMI takes on or off; anything else is refused with the variable named")
    func kQuantVBMISwitch() throws {
        let bad = try Self.bench(kernel: nil, environment: [KernelRuntime.kQuantVBMIVariable: "maybe"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("PYRAMIDKV_KQ_VBMI = maybe: expected on or off"), "\(bad.stderr)")
        let off = try Self.bench(kernel: nil, environment: [KernelRuntime.kQuantVBMIVariable: "off"])
        #expect(off.report != nil, "\(off.stderr)")
    }

    @Test("--activations int8 runs the integer kernels and the bench says which; f32 is the default")
    func int8Activations() throws {
        let plain = try #require(try Self.bench(kernel: nil).report)
        #expect(plain.activations == "f32")
        for v in KernelRuntime.supported {
            let r = try Self.bench(kernel: v.rawValue, extra: ["--activations", "int8"])
            let report = try #require(r.report, "\(v.rawValue): \(r.stderr)")
            #expect(report.activations.hasPrefix("int8 ("), "\(v.rawValue): \(report.activations)")
            if v == .scalar { #expect(report.activations == "int8 (scalar)") }
        }
    }

    @Test("an unknown PYRAMIDKV_ACTIVATIONS is refused naming the variable; a worker refuses any (jobs carry their mode)")
    func activationsRefused() throws {
        let bad = try Self.bench(kernel: nil, environment: [KernelRuntime.activationsVariable: "int4"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("PYRAMIDKV_ACTIVATIONS=int4: unknown activation precision; known: f32, int8"), "\(bad.stderr)")
        let worker = try PyramidKVExecutable.run(["worker", "--coordinator", "http://127.0.0.1:9", "--token-file", "/dev/null"],
                                                 environment: [KernelRuntime.activationsVariable: "int8"])
        #expect(worker.status != 0)
        #expect(worker.stderr.contains("PYRAMIDKV_ACTIVATIONS = int8: fleet workers run each job in the mode it was submitted with (submit --activations f32|int8)"), "\(worker.stderr)")
    }

    @Test("a process started under nice runs its kernels at that nice, across the OpenBLAS re-exec too")
    func niceHolds() throws {
        let binary = try #require(PyramidKVExecutable.url, "pyramidkv is not built (swift build)")
        // With OPENBLAS_CORETYPE unset the CLI may re-exec itself from a libdispatch thread (nice 0).
        for dropCoreType in [false, true] {
            var env = ProcessInfo.processInfo.environment
            if dropCoreType { env["OPENBLAS_CORETYPE"] = nil }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            process.arguments = ["-n", "7", binary.path, "bench", "--context", "64", "--decode", "2", "--threads", "2", "--json"]
            process.environment = env
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "\(stderr)")
            let report = try JSONDecoder().decode(Report.self, from: stdout)
            let label = "OPENBLAS_CORETYPE \(dropCoreType ? "unset" : "set")"
            #expect(report.nice == 7, "\(label): the process recorded nice \(String(describing: report.nice))")
            #expect(report.kernel_threads_nice == [7, 7], "\(label): kernel threads at nice \(String(describing: report.kernel_threads_nice))")
        }
    }
}
