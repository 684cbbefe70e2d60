import Coordinator
import FleetCore
import Foundation
import Testing
import TestSupport

/// The background checkpointer copies committed pages from the WAL into the database file without
/// the store's own connection having to (its automatic threshold is far above this test's writes).
@Suite struct WALCheckpointerTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test func committedPagesReachTheDatabaseFileInTheBackground() async throws {
        let path = directory.path("fleet.sqlite")
        let store = try CoordinatorStore(path: path)
        func fileSize() throws -> Int {
            try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        }
        let before = try fileSize()
        var spec = needleSpec(lengths: Array(1...300), depths: [0, 50, 100], policies: [.snapkv], budgets: [64])
        spec.shardTokens = 1
        let submitted = try await store.submit(SubmitRequest(spec: spec))
        #expect(submitted.jobsCreated == 900)
        let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(walSize > 200_000, "the submit should have gone to the WAL first")

        let deadline = ContinuousClock.now + .seconds(10)
        while try fileSize() < before + 200_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let after = try fileSize()
        #expect(after >= before + 200_000, "database file stayed at \(after) bytes")
        #expect(try await store.experimentStatus(submitted.experiment).jobs.queued == 900)
    }
}
