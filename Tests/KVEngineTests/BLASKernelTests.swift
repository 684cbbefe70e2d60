import Foundation
import KVEngine
import Testing

/// Issue 12 §6: in-process engine tests run on the kernel `make test` asked for
/// (scripts/blas-coretype), not on whatever a build's CPU detection falls back to.
struct BLASKernelTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil,
                   "OPENBLAS_CORETYPE is not set (make test sets it)"))
    func testsRunOnTheRequestedKernel() {
        let wanted = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]!.lowercased()
        #expect(BLASRuntime.coreName.lowercased() == wanted)
    }
}
