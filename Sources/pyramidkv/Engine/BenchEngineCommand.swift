import ArgumentParser
import Foundation
import KVEngine
import Assets
import PolicySpec

/// `pyramidkv bench [engine]`: prefill and decode throughput and peak memory per context length.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Prefill/decode tokens per second and peak memory per context length (the default).")

    @OptionGroup var model: ModelOptions
    @Option(help: "Comma-separated prompt lengths in tokens.") var context = "1024,4096,8000"
    @Option(help: "Tokens to decode after each prompt.") var decode = 128
    @Option(help: "Repetitions per length (the median is reported).") var repeats = 1
    @OptionGroup var policy: PolicyOptions
    @Option(help: "Also run llama.cpp (llama-cpp-python) via this script and print ratios.") var baselineScript: String?
    @Option(help: "KV cache element type once a layer is prefilled: f32 (default, as the fidelity tests run) or f16 (as llama.cpp caches).")
    var kvDtype: KVDType = .f32
    @Option(help: "Decode's matrix-vector activations: f32 (exact) or int8 (per-block quantized, as llama.cpp). Default: PYRAMIDKV_ACTIVATIONS, else the engine's default.")
    var activations: ActivationPrecision?
    @Flag(help: "Print JSON.") var json = false

    struct Row: Codable {
        var context: Int
        var prefillTokensPerSecond: Double
        var decodeTokensPerSecond: Double
        var peakRSSMiB: Double
        var kvBytes: Int
        /// The roofline: tokens per second if a step only read its weights and KV once, at the
        /// read speed this machine's pool measured just now (`ReadCeiling`).
        var decodeCeilingTokensPerSecond: Double?
        enum CodingKeys: String, CodingKey {
            case context, kvBytes = "kv_bytes", peakRSSMiB = "peak_rss_mib"
            case prefillTokensPerSecond = "prefill_tps", decodeTokensPerSecond = "decode_tps"
            case decodeCeilingTokensPerSecond = "decode_ceiling_tps"
        }
    }

    struct Report: Codable {
        var engine: String
        var policy: String
        var blas: String
        /// The matrix-vector kernel variant that ran (PYRAMIDKV_KERNEL forces one).
        var kernel: String
        /// The numerics mode (f32 exact or int8 fast) and, for int8, the integer kernel.
        var activations: String
        /// Per ggml type in the model: how many tensors, and the kernel its products run in
        /// each mode ("Q4_K ×169: exact avx512 packed groups; fast avx512-vnni int8 packed groups").
        var typeKernels: [String]
        var kvDType: String
        var threads: Int
        /// The process's nice value, which every kernel thread runs at (absent in older reports).
        var nice: Int?
        /// The lowest and highest nice the threads that ran kernels were at (absent in older reports).
        var kernelThreadsNice: [Int]?
        var decodeTokens: Int
        var rows: [Row]
        var baseline: [Row]?
        enum CodingKeys: String, CodingKey {
            case engine, policy, blas, kernel, activations, typeKernels = "type_kernels", kvDType = "kv_dtype", threads, nice, kernelThreadsNice = "kernel_threads_nice", rows, baseline
            case decodeTokens = "decode_tokens"
        }
    }

    func run() throws {
        BLASSetup.ensureFastKernel()
        let lengths = try context.split(separator: ",").map { s -> Int in
            guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n > 0 else {
                throw ValidationError("--context: \"\(s)\" is not a positive integer")
            }
            return n
        }
        let llm = try model.load()
        if let activations { KernelRuntime.activations = activations }
        let config = try policy.config()
        let kvPolicy = try config.flatMap(KVPolicies.make)
        let source = BenchPrompt(tokenizer: llm.tokenizer)
        var rows: [Row] = []
        for n in lengths {
            let ids = source.ids(count: n)
            var samples: [Row] = []
            for _ in 0..<max(1, repeats) {
                PeakRSS.reset()
                let session = InferenceSession(model: llm, layout: config?.layout ?? policy.resolvedLayout, kvDType: kvDtype)
                let t0 = DispatchTime.now()
                _ = try KVCompression.prefillAndCompress(session: session, ids: ids, policy: kvPolicy)
                session.releasePrefillScratch()
                let prefill = Self.seconds(since: t0)
                var next = session.argmaxOfLastLogits()
                let t1 = DispatchTime.now()
                for _ in 0..<decode {
                    _ = try session.step(next)
                    next = session.argmaxOfLastLogits()
                }
                let dec = Self.seconds(since: t1)
                samples.append(Row(context: n, prefillTokensPerSecond: Double(n) / prefill,
                                   decodeTokensPerSecond: decode > 0 ? Double(decode) / dec : 0,
                                   peakRSSMiB: PeakRSS.mebibytes(), kvBytes: session.cache.bytes))
            }
            var row = samples.sorted { $0.prefillTokensPerSecond < $1.prefillTokensPerSecond }[samples.count / 2]
            row.decodeCeilingTokensPerSecond = ReadCeiling.tokensPerSecond(bytesPerToken: llm.weights.decodeBytes + row.kvBytes)
            rows.append(row)
        }
        var report = Report(engine: "pyramidkv", policy: config.map { "\($0.name.rawValue)@\($0.budget) \($0.layout.rawValue)" } ?? "fullkv \(policy.resolvedLayout.rawValue)",
                            blas: BLASRuntime.coreName, kernel: KernelRuntime.variant.rawValue, activations: KernelRuntime.activationsDescription,
                            typeKernels: llm.weights.kernelSummary(), kvDType: kvDtype.rawValue, threads: KernelRuntime.threads,
                            nice: KernelRuntime.processNice,
                            kernelThreadsNice: KernelRuntime.kernelThreadsNice.map { [$0.lowerBound, $0.upperBound] }, decodeTokens: decode, rows: rows, baseline: nil)
        if let baselineScript {
            // llama.cpp keeps the whole prompt in an f16 cache: its step reads the weights and that.
            let c = llm.config
            report.baseline = try runBaseline(script: baselineScript, lengths: lengths).map { b in
                var b = b
                let kvF16 = b.context * c.layers * c.kvDim * 2 * 2
                b.decodeCeilingTokensPerSecond = ReadCeiling.tokensPerSecond(bytesPerToken: llm.weights.decodeBytes + kvF16)
                return b
            }
        }
        if json { try JSONOutput.print(report) } else { printTable(report) }
    }

    func runBaseline(script: String, lengths: [Int]) throws -> [Row] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "--model", try model.resolvedPath(), "--context", lengths.map(String.init).joined(separator: ","),
                       "--decode", String(decode), "--threads", String(KernelRuntime.threads), "--repeats", String(repeats)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw InputError.badInput(option: "--baseline-script", value: script, reason: "exited with status \(p.terminationStatus)")
        }
        return try JSONDecoder().decode([Row].self, from: data)
    }

    func printTable(_ r: Report) {
        print("engine: \(r.engine)  policy: \(r.policy)  kernels: \(r.kernel)  activations: \(r.activations)  KV: \(r.kvDType)  BLAS: \(r.blas), \(r.threads) threads\(r.nice.map { $0 == 0 ? "" : " at nice \($0)" } ?? "")  decode: \(r.decodeTokens) tokens after each prompt")
        for line in r.typeKernels { print("  \(line)") }
        if !r.typeKernels.isEmpty { print("  (the output projection runs with fp32 activations in both modes)") }
        var header = "context  prefill tok/s  decode tok/s  (ceiling, %)  peak RSS MiB  KV MiB"
        if r.baseline != nil { header += "  | llama.cpp prefill  decode  (ceiling, %)  RSS  | ratio prefill  decode" }
        print(header)
        for row in r.rows {
            var line = String(format: "%7d  %13.1f  %12.1f  ", row.context, row.prefillTokensPerSecond, row.decodeTokensPerSecond)
                + Self.ceiling(row) + String(format: "  %12.0f  %6.1f", row.peakRSSMiB, Double(row.kvBytes) / 1_048_576)
            if let b = r.baseline?.first(where: { $0.context == row.context }) {
                line += String(format: "  | %17.1f  %6.1f  ", b.prefillTokensPerSecond, b.decodeTokensPerSecond) + Self.ceiling(b)
                    + String(format: "  %4.0f  | %12.2fx  %5.2fx", b.peakRSSMiB, row.prefillTokensPerSecond / b.prefillTokensPerSecond,
                             row.decodeTokensPerSecond / b.decodeTokensPerSecond)
            }
            print(line)
        }
    }

    /// "(ceiling, share of it)" of a row, e.g. "(101.3, 67%)".
    static func ceiling(_ row: Row) -> String {
        guard let c = row.decodeCeilingTokensPerSecond, c > 0 else { return String(repeating: " ", count: 12) }
        return String(format: "(%5.1f, %2.0f%%)", c, 100 * row.decodeTokensPerSecond / c)
    }

    static func seconds(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9 }
}

/// Real text for benchmark prompts: the haystack essays when fetched, else a fixed paragraph.
struct BenchPrompt {
    let pool: [Int32]

    init(tokenizer: Tokenizer) {
        let dir = DefaultAssets.haystackDirectory
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        var text = files.compactMap { try? String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }.joined()
        if text.isEmpty { text = String(repeating: "The grass is green. The sky is blue. The sun is yellow. Here we go. ", count: 200) }
        pool = tokenizer.encode(text)
    }

    func ids(count: Int) -> [Int32] {
        var out: [Int32] = []
        while out.count < count { out += pool.prefix(count - out.count) }
        return out
    }
}

/// Peak resident set size of this process (Linux VmHWM), resettable between measurements.
enum PeakRSS {
    static func reset() { try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8) }

    static func mebibytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }
}
