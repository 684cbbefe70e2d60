import CKernels
import Foundation
import KVEngine
import Testing

/// The kernels' thread pool: every index of a job runs exactly once, including when a worker's part
/// runs far longer than the caller's spin (the caller then sleeps and the last part must wake it:
/// a lost wake-up hangs the job, which the time limit turns into a failure).
@Suite("Kernel thread pool", .serialized)
struct ThreadPoolTests {
    /// ctx: [n] visit counts, then one slot: the index whose part sleeps (-1: none).
    static let visit: pkv_task_fn = { ctx, begin, end in
        let counts = ctx!.assumingMemoryBound(to: Int32.self)
        let n = Int(counts[-1])
        if (begin..<end).contains(Int64(n)) { usleep(30_000) }
        for i in begin..<end { counts[Int(i)] += 1 }
    }

    static func run(n: Int, slowIndex: Int) -> [Int32] {
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: n + 1)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: n + 1)
        buffer[0] = Int32(slowIndex)
        pkv_parallel_for(Int64(n), visit, buffer + 1)
        return Array(UnsafeBufferPointer(start: buffer + 1, count: n))
    }

    @Test("every index once, on 1–4 threads, for job sizes below and above the part count")
    func everyIndexOnce() {
        let before = KernelRuntime.threads
        defer { KernelRuntime.setThreads(before) }
        for threads in 1...4 {
            KernelRuntime.setThreads(threads)
            for n in [1, 2, 3, 7, 8, 17, 1000] {
                #expect(Self.run(n: n, slowIndex: -1) == Array(repeating: 1, count: n), "\(threads) threads, n \(n)")
            }
        }
    }

    /// ctx: [n] visit counts. Parts a pool worker runs take 30 ms, the caller's 2 ms each, so the
    /// caller finishes its share long before and must sleep until the worker's part wakes it.
    static let slowOnWorkers: pkv_task_fn = { ctx, begin, end in
        let counts = ctx!.assumingMemoryBound(to: Int32.self)
        usleep(pkv_pool_worker_index() > 0 ? 30_000 : 2_000)
        for i in begin..<end { counts[Int(i)] += 1 }
    }

    @Test("a part that outlasts the caller's spin: the caller sleeps and the last part wakes it, 20 times over",
          .timeLimit(.minutes(1)))
    func slowPartWakesTheCaller() {
        let before = KernelRuntime.threads
        defer { KernelRuntime.setThreads(before) }
        KernelRuntime.setThreads(2)
        let sleepsBefore = pkv_pool_caller_sleeps()
        let n = 8
        let counts = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { counts.deallocate() }
        for round in 0..<20 {
            counts.initialize(repeating: 0, count: n)
            pkv_parallel_for(Int64(n), Self.slowOnWorkers, counts)
            #expect(Array(UnsafeBufferPointer(start: counts, count: n)) == Array(repeating: 1, count: n), "round \(round)")
        }
        // Each round where the worker claimed a part put the caller to sleep; a lost wake-up would
        // have hung a round instead (the time limit).
        #expect(pkv_pool_caller_sleeps() > sleepsBefore, "the caller never slept: the sleep path went untested")
    }
}
