import Foundation
import KVEngine

/// OpenBLAS picks its kernel once, at load, from OPENBLAS_CORETYPE or its CPU detection, and
/// some builds do not recognise newer CPUs and fall back to SSE3 kernels (~6× slower).
/// When that happens we re-exec ourselves with the core type the CPU's features support:
/// setting the variable from inside the process would be too late.
enum BLASSetup {
    static let fastCores: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    static func ensureFastKernel() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil, env["PYRAMIDKV_BLAS_REEXEC"] == nil else { return }
        let core = BLASRuntime.coreName.lowercased()
        guard !fastCores.contains(core) else { return }
        let wanted: String
        switch BLASRuntime.cpuLevel {
        case 2: wanted = "SkylakeX"
        case 1: wanted = "Haswell"
        default: return
        }
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        setenv("PYRAMIDKV_BLAS_REEXEC", "1", 1)
        // The new process starts at this thread's nice, which libdispatch may have reset.
        KernelRuntime.adoptProcessNice()
        var args = CommandLine.arguments.map { strdup($0) }
        args.append(nil)
        execv("/proc/self/exe", &args)
        // exec failed: carry on with the slow kernel, but say so.
        FileHandle.standardError.write(Data("pyramidkv: warning: OpenBLAS uses slow kernel \(core); re-exec failed\n".utf8))
    }

    static var summary: String { "OpenBLAS \(BLASRuntime.coreName), split over \(KernelRuntime.threads) threads" }
}
