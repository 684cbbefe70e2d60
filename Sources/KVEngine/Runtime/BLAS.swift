import CKernels
import COpenBLAS

/// Thin wrappers over OpenBLAS for the row-major products the forward pass needs.
///
/// OpenBLAS runs single-threaded (`KernelRuntime` sets it so) and a product is split over the
/// engine's own pool instead, one OpenBLAS call per slice of C: OpenBLAS 0.3.21's own threading
/// ran the prefill products of a 1.5B model at 111 GFLOP/s on 2 cores where it split M only
/// (down and Q|K|V: 1536 or 2048 output columns); two single-threaded calls on halves of the
/// output columns ran them at 172–187.
enum BLAS {
    /// C[m][n] = alpha · A[m][k] · B[n][k]ᵀ + beta · C  (B given as rows, e.g. a weight matrix).
    static func gemmABt(m: Int, n: Int, k: Int, alpha: Float = 1,
                        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        var job = Slices(transB: true, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        job.run()
    }

    /// C[m][n] = A[m][k] · B[k][n]
    static func gemmAB(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                       b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        var job = Slices(transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
        job.run()
    }

    /// Below this many multiply-adds a product stays on the calling thread.
    static let splitMinimumMACs = 1 << 21
    /// Columns of C per unit of work, so slices stay vector-aligned.
    static let columnUnit = 16

    /// One product cut into slices of C's columns (or rows, when C is narrow), a slice per
    /// pool thread, each a single-threaded OpenBLAS call.
    struct Slices {
        let transB: Bool
        let m, n, k: Int
        let alpha: Float
        let a: UnsafePointer<Float>
        let lda: Int
        let b: UnsafePointer<Float>
        let ldb: Int
        let beta: Float
        let c: UnsafeMutablePointer<Float>
        let ldc: Int
        var byColumns = true

        mutating func run() {
            let threads = Int(pkv_pool_threads())
            guard threads > 1, m * n * k >= BLAS.splitMinimumMACs else { return call(rows: 0..<m, columns: 0..<n) }
            byColumns = n >= 2 * BLAS.columnUnit * threads || m < threads
            let units = byColumns ? (n + BLAS.columnUnit - 1) / BLAS.columnUnit : m
            withUnsafeMutablePointer(to: &self) { job in
                pkv_parallel_for(Int64(units), { ctx, begin, end in
                    let j = ctx!.assumingMemoryBound(to: BLAS.Slices.self).pointee
                    if j.byColumns {
                        j.call(rows: 0..<j.m, columns: min(j.n, Int(begin) * BLAS.columnUnit)..<min(j.n, Int(end) * BLAS.columnUnit))
                    } else {
                        j.call(rows: Int(begin)..<Int(end), columns: 0..<j.n)
                    }
                }, job)
            }
        }

        /// C[rows][columns] of the product, on the calling thread.
        func call(rows: Range<Int>, columns: Range<Int>) {
            guard !rows.isEmpty, !columns.isEmpty else { return }
            let aRows = a + rows.lowerBound * lda, cBlock = c + rows.lowerBound * ldc + columns.lowerBound
            // Bᵀ's columns are B's rows; plain B's columns are offsets into each row.
            let bBlock = transB ? b + columns.lowerBound * ldb : b + columns.lowerBound
            cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(rows.count),
                        Int32(columns.count), Int32(k), alpha, aRows, Int32(lda), bBlock, Int32(ldb), beta, cBlock,
                        Int32(ldc))
        }
    }
}

/// The BLAS backend in use, reported in logs and benchmark output.
public enum BLASRuntime {
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }
    /// OpenBLAS's own threads (1 once the engine is configured: products are split over the
    /// engine's pool instead; see `BLAS`).
    public static var threads: Int { Int(openblas_get_num_threads()) }
    static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    /// SIMD level of this CPU: 2 = AVX-512 (F/BW/DQ/VL), 1 = AVX2+FMA, 0 = baseline.
    public static var cpuLevel: Int { Int(pkv_cpu_level()) }
}
