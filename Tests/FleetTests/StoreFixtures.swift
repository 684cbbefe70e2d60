import Coordinator
import FleetCore

let testHardware = HardwareClass(cpu: "test-cpu", threads: 2, dtype: "q4_1")

func leaseRequest(_ worker: String, models: [String] = [modelHash]) -> LeaseRequest {
    LeaseRequest(workerId: worker, hardware: testHardware, models: models)
}

func sampleResult(_ sampleId: String, prediction: String = "eat a sandwich") -> SampleResult {
    SampleResult(sampleId: sampleId, prediction: prediction, promptTokens: 1000, generatedTokens: 10,
                 prefillSeconds: 0.5, decodeSeconds: 0.1, kvBytes: 1024, hardware: testHardware)
}

/// Posts a prediction for every pending sample of `lease`.
func postAll(_ store: CoordinatorStore, _ lease: Lease) async throws {
    for sampleId in lease.pendingSampleIds {
        _ = try await store.postPrediction(job: lease.jobId, PredictionPost(token: lease.token,
                                                                            result: sampleResult(sampleId)))
    }
}
