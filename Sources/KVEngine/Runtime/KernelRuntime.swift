import CKernels
import Foundation
import PolicySpec

/// The SIMD variant of the matrix-vector and attention kernels.
public enum KernelVariant: String, CaseIterable, Sendable {
    case scalar, avx2, avx512

    var code: Int32 {
        switch self {
        case .scalar: Int32(PKV_VARIANT_SCALAR)
        case .avx2: Int32(PKV_VARIANT_AVX2)
        case .avx512: Int32(PKV_VARIANT_AVX512)
        }
    }

    init?(code: Int32) {
        guard let v = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = v
    }

    /// Whether this CPU can run the variant.
    public var isSupported: Bool { pkv_variant_supported(code) != 0 }
}

extension ActivationPrecision {
    /// The mode's code in CKernels (PKV_ACTIVATIONS_*).
    var code: Int32 { self == .f32 ? Int32(PKV_ACTIVATIONS_F32) : Int32(PKV_ACTIVATIONS_INT8) }
}

/// Chooses the kernels' variant and thread count for the whole process.
public enum KernelRuntime {
    /// Forces a variant (`scalar`, `avx2`, `avx512`); unset means the best the CPU has.
    public static let variantVariable = "PYRAMIDKV_KERNEL"

    /// `off` runs the plain AVX-512 K-quant kernels in place of the VBMI ones (same bits; for
    /// comparing their speed), `on` is the default.
    public static let kQuantVBMIVariable = "PYRAMIDKV_KQ_VBMI"

    /// Sets decode's activation precision (`f32`, `int8`).
    public static let activationsVariable = "PYRAMIDKV_ACTIVATIONS"

    public static var activations: ActivationPrecision {
        get { pkv_activations_current() == Int32(PKV_ACTIVATIONS_INT8) ? .int8 : .f32 }
        set { pkv_activations_select(newValue.code) }
    }

    /// Decode's activation precision and, for int8, the integer kernel that serves it ("int8 (avx512-vnni)").
    public static var activationsDescription: String {
        activations == .int8 ? "int8 (\(String(cString: pkv_int8_kernel_name(variant.code))))" : "f32"
    }

    /// Fleet workers (and the demo's) run each job in the numerics mode its spec names (part of
    /// its key): a process-wide PYRAMIDKV_ACTIVATIONS would say otherwise, so it is refused.
    public static func requireJobNumericsForFleet() throws {
        let raw = ProcessInfo.processInfo.environment[activationsVariable] ?? ""
        guard raw.isEmpty else {
            throw EngineError.invalidArgument(name: activationsVariable, value: raw,
                                              reason: "fleet workers run each job in the mode it was submitted with (submit --activations f32|int8); unset it")
        }
        activations = .f32
    }

    public static var variant: KernelVariant { KernelVariant(code: pkv_variant_current()) ?? .scalar }
    public static var best: KernelVariant { KernelVariant(code: pkv_variant_best()) ?? .scalar }
    public static var supported: [KernelVariant] { KernelVariant.allCases.filter(\.isSupported) }

    public static func select(_ v: KernelVariant) throws {
        guard pkv_variant_select(v.code) == 0 else {
            throw EngineError.kernelUnsupported(variant: v.rawValue, supported: supported.map(\.rawValue))
        }
    }

    /// Applies `PYRAMIDKV_KERNEL` when set; an unknown or unsupported value is an error, not a
    /// silent fallback, so a benchmark never reports a variant that did not run.
    public static func configureFromEnvironment() throws {
        let env = ProcessInfo.processInfo.environment
        if let raw = env[activationsVariable], !raw.isEmpty {
            guard let a = ActivationPrecision(rawValue: raw.lowercased()) else {
                throw EngineError.activationsUnknown(variable: activationsVariable, value: raw,
                                                     known: ActivationPrecision.allCases.map(\.rawValue))
            }
            activations = a
        }
        if let raw = env[kQuantVBMIVariable], !raw.isEmpty {
            switch raw.lowercased() {
            case "on": kQuantVBMI = true
            case "off": kQuantVBMI = false
            default: throw EngineError.invalidArgument(name: kQuantVBMIVariable, value: raw, reason: "expected on or off")
            }
        }
        guard let raw = env[variantVariable], !raw.isEmpty else { return }
        guard let v = KernelVariant(rawValue: raw.lowercased()) else {
            throw EngineError.kernelUnknown(variable: variantVariable, value: raw, known: KernelVariant.allCases.map(\.rawValue))
        }
        try select(v)
    }

    /// Applies the environment once per process and, unless a caller already chose, gives the
    /// kernels as many threads as OpenBLAS has. Called by every model load.
    public static func ensureConfigured() throws {
        try startup.get()
    }

    private static let startup: Result<Void, EngineError> = {
        // OpenBLAS starts with a thread per core; the pool takes that count and OpenBLAS runs
        // single-threaded inside the pool's slices (BLAS).
        if pkv_pool_threads() == 1 { _ = pkv_pool_set_threads(Int32(max(1, BLASRuntime.threads))) }
        BLASRuntime.setThreads(1)
        do { try configureFromEnvironment() } catch let e as EngineError { return .failure(e) } catch { fatalError("\(error)") }
        return .success(())
    }()

    /// Threads for the engine's kernels, OpenBLAS's products included (split over the pool).
    public static func setThreads(_ n: Int) {
        BLASRuntime.setThreads(1)
        _ = pkv_pool_set_threads(Int32(max(1, n)))
    }

    public static var threads: Int { Int(pkv_pool_threads()) }

    /// The nice value the process started with. Every thread that runs kernels takes it, so
    /// `nice -n 19 pyramidkv worker` holds even on threads libdispatch started at its QoS's nice.
    public static var processNice: Int { Int(pkv_process_nice()) }

    /// Gives the calling thread the process's nice value: a thread that execs (BLASSetup's
    /// re-exec) hands its own nice to the new process.
    public static func adoptProcessNice() { pkv_adopt_process_nice() }

    /// The lowest and highest nice the threads that ran kernels so far are at (nil before any).
    public static var kernelThreadsNice: ClosedRange<Int>? {
        var lo: Int32 = 0, hi: Int32 = 0
        return pkv_kernel_threads_nice(&lo, &hi) != 0 ? Int(lo)...Int(hi) : nil
    }

    /// Whether AVX-512's fp32 products of packed Q4_K and Q6_K take the VBMI kernels where the CPU
    /// has VBMI (the default). They give the plain AVX-512 kernels' bits, so this changes speed
    /// only; tests and `PYRAMIDKV_KQ_VBMI=off` switch it to compare the two on one CPU.
    public static var kQuantVBMI: Bool {
        get { pkv_kq_vbmi_enabled() != 0 }
        set { _ = pkv_kq_vbmi_enable(newValue ? 1 : 0) }
    }

    /// Whether this CPU has AVX-512 VBMI (vpermb), which the K-quant kernels above need.
    public static var hasVBMI: Bool { pkv_cpu_has_vbmi() != 0 }
}
