import CKernels
import COpenBLAS

/// Thin wrappers over OpenBLAS for the row-major products the forward pass needs.
enum BLAS {
    /// C[m][n] = alpha · A[m][k] · B[n][k]ᵀ + beta · C  (B given as rows, e.g. a weight matrix).
    @inline(__always)
    static func gemmABt(m: Int, n: Int, k: Int, alpha: Float = 1,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C[m][n] = A[m][k] · B[k][n]
    @inline(__always)
    static func gemmAB(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                       b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                    a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}

/// The BLAS backend in use, reported in logs and benchmark output.
public enum BLASRuntime {
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
    public static var threads: Int { Int(openblas_get_num_threads()) }
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    /// SIMD level of this CPU: 2 = AVX-512 (F/BW/DQ/VL), 1 = AVX2+FMA, 0 = baseline.
    public static var cpuLevel: Int { Int(pkv_cpu_level()) }
}
