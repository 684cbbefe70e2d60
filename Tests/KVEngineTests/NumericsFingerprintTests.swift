import Foundation
import KVEngine
import PolicySpec
import Testing
import TestSupport

/// Numerics that version themselves: the output bits of every kernel variant this CPU runs, in
/// both numerics modes, hashed into one fingerprint per (variant, mode) and pinned in
/// Fixtures/numerics.json with the version of their mode (`EngineNumerics.version(mode)`) they belong to. The bits come from
/// the tiny architecture models (prefill by sgemm and fused attention, prefill row by row, decode
/// steps) and from a product of every weight type, packed and not, one row and several.
/// When a mode's bits move, that mode's version must move: a job key names the numerics its
/// results came from.
///
/// The bits also depend on the CPU, not only on the variant chosen: the elementwise kernels are
/// target_clones built with -fassociative-math, so the loader's x86-64-v4 copy sums in 16 lanes
/// where the v3 copy sums in 8, and OpenBLAS's sgemm order follows its core type. So a
/// fingerprint is pinned per (variant, mode, clone level, OpenBLAS core): an AVX-512 host under
/// `make test` (SkylakeX) and an AVX2 host (Haswell) each check their own. (A cross-CPU check of
/// greedy predictions lives in the reports: the same exact jobs on both gave the same text.)
@Suite("Numerics fingerprint", .serialized)
struct NumericsFingerprintTests {
    /// Each mode's version, and the fingerprints (keyed by `key(variant:mode:)`) pinned under it.
    struct Pinned: Codable { var versions: [String: String]; var fingerprints: [String: String] }

    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/numerics.json")
    static let updateVariable = "PYRAMIDKV_UPDATE_NUMERICS"

    /// FNV-1a over the bit patterns, enough to see any bit move.
    struct Hasher64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ values: [Float]) {
            for v in values {
                var bits = v.bitPattern
                for _ in 0..<4 {
                    state = (state ^ UInt64(bits & 0xff)) &* 0x100_0000_01b3
                    bits >>= 8
                }
            }
        }
        var hex: String { String(format: "%016llx", state) }
    }

    /// "mode variant, clones LEVEL, OpenBLAS CORE": what decides the bits on this host.
    static func key(variant: KernelVariant, mode: ActivationPrecision) -> String {
        let clones = ["baseline", "x86-64-v3", "x86-64-v4"][max(0, min(2, BLASRuntime.cpuLevel))]
        return "\(mode.rawValue) \(variant.rawValue), clones \(clones), OpenBLAS \(BLASRuntime.coreName)"
    }

    /// The bits of one (variant, mode): tiny models, then every weight type's products.
    static func fingerprint(variant: KernelVariant, mode: ActivationPrecision) throws -> String {
        try KernelRuntime.select(variant)
        let before = KernelRuntime.activations
        KernelRuntime.activations = mode
        defer { KernelRuntime.activations = before; try? KernelRuntime.select(KernelRuntime.best) }
        var h = Hasher64()
        for arch in ["llama", "qwen2", "qwen3"] {
            let (model, reference) = try ArchitectureTests.load(arch)
            let ids = reference.input_ids, n = reference.prefill
            let session = InferenceSession(model: model)
            h.add(try session.prefill(Array(ids.prefix(n))))
            for p in n..<min(ids.count, n + 4) { h.add(try session.step(ids[p])) }
            h.add(try InferenceSession(model: model).prefill(Array(ids.prefix(8))))
        }
        let dir = try TemporaryDirectory()
        var rng = SplitMix(seed: 99)
        for type in GGMLType.allCases {
            let columns = type.blockSize == 256 ? 512 : 320
            let f = try QuantKernelTests.randomGGUF([("w", type, 48)], columns: columns, seed: UInt64(type.rawValue) + 500, in: dir)
            let x = (0..<(3 * columns)).map { _ in Float(rng.unit() * 2 - 1) }
            for pack in [true, false] {
                let m = try QuantMatrix(gguf: f, tensors: [(name: "w", rows: 48)], columns: columns, pack: pack)
                var y = [Float](repeating: 0, count: 3 * 48)
                x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { yp in
                        m.multiply(xp.baseAddress!, into: yp.baseAddress!, activations: mode)
                        if mode == .int8, m.hasInt8RowProducts {
                            m.multiplyRows(xp.baseAddress!, ldx: columns, count: 3, into: yp.baseAddress!, ldy: 48)
                        }
                    }
                }
                h.add(y)
            }
        }
        return h.hex
    }

    @Test("every variant and mode gives the bits pinned for this numerics version")
    func pinned() throws {
        var computed: [String: String] = [:]
        for variant in KernelRuntime.supported {
            for mode in ActivationPrecision.allCases {
                computed[Self.key(variant: variant, mode: mode)] = try Self.fingerprint(variant: variant, mode: mode)
            }
        }
        if ProcessInfo.processInfo.environment[Self.updateVariable] == "1" {
            var pinned = (try? JSONDecoder().decode(Pinned.self, from: Data(contentsOf: Self.file))) ?? Pinned(versions: [:], fingerprints: [:])
            for mode in ActivationPrecision.allCases where pinned.versions[mode.rawValue] != EngineNumerics.version(mode) {
                // A mode's new version starts with no fingerprints: other CPUs record theirs anew.
                pinned.fingerprints = pinned.fingerprints.filter { !$0.key.hasPrefix("\(mode.rawValue) ") }
                pinned.versions[mode.rawValue] = EngineNumerics.version(mode)
            }
            pinned.fingerprints.merge(computed) { $1 }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(pinned).write(to: Self.file)
            print("numerics fingerprints of \(pinned.versions) recorded in \(Self.file.path): \(computed)")
            return
        }
        let pinned = try JSONDecoder().decode(Pinned.self, from: try Fixtures.data("numerics.json"))
        let record = "\(Self.updateVariable)=1 swift test --filter NumericsFingerprintTests"
        for mode in ActivationPrecision.allCases {
            let version = EngineNumerics.version(mode)
            guard pinned.versions[mode.rawValue] == version else {
                Issue.record("Fixtures/numerics.json pins \(mode.rawValue) version \(pinned.versions[mode.rawValue] ?? "none"), the engine's is \(version): record it (\(record))")
                continue
            }
            for (key, value) in computed.sorted(by: { $0.key < $1.key }) where key.hasPrefix("\(mode.rawValue) ") {
                let expected = try #require(pinned.fingerprints[key], "no fingerprint pinned for \(key): record it on this host (\(record))")
                #expect(value == expected, "numerics changed (\(key)): bump EngineNumerics' \(mode.rawValue) version, then record (\(record))")
            }
        }
    }

    @Test("a job's engine version is its mode's numerics version")
    func engineVersionIsTheModesNumericsVersion() {
        for mode in ActivationPrecision.allCases {
            #expect(!EngineNumerics.version(mode).isEmpty && EngineNumerics.version(mode) != "0.1.0")
        }
    }
}
