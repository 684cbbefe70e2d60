import Coordinator
import FleetCore
import Foundation
import KVEval
import PolicySpec
import Testing

/// The wire format, byte for byte: every content hash (job keys, sample ids, experiment ids) is
/// taken over these bytes, and stored databases and running workers depend on them. A change
/// here is a format change, not a refactoring.
@Suite struct WireFormatGoldenTests {
    static let hardware = HardwareClass(cpu: "AMD EPYC", gpu: nil, threads: 2, dtype: "q4_1", engineVersion: "e1")
    static let needleSpec = ExperimentSpec(
        benchmark: .needle, modelSha256: String(repeating: "a", count: 64),
        policies: [PolicyConfig(name: .snapkv, window: 8), PolicyConfig(name: .pyramidkv, window: 16, kernel: 5, pooling: .avg,
                                                                      beta: 10, layout: .kvHead, preset: .paper2024)],
        budgets: [64, 128],
        needle: NeedleSweep(lengths: [1000, 2000], depths: [0, 50],
                            settings: NeedleSettings(haystackSha256: String(repeating: "b", count: 64))),
        priority: 2, maxAttempts: 4, shardTokens: 3000)
    static let longBenchSpec = ExperimentSpec(
        benchmark: .longbench, modelSha256: String(repeating: "c", count: 64), policies: [PolicyConfig(name: .h2o, window: 8)],
        budgets: [256],
        longbench: LongBenchSweep(datasets: [LongBenchDatasetProtocol(
            dataset: "multifieldqa_en", promptTemplate: "Read {context} Q: {input}", maxNewTokens: 64,
            applyChatTemplate: true, stop: ["\n"])], limit: 5, maxLength: 3500, datasetVersion: "v1"))
    static let sample = SampleSpec(benchmark: .longbench, dataset: "multifieldqa_en", recordId: "r1", input: "Who?",
                                   context: "Ctx", answers: ["Ann"], allClasses: ["a", "b"], recordLength: 120)
    static let jobSpec = JobSpec(
        benchmark: .longbench, modelSha256: String(repeating: "c", count: 64), engineVersion: "e1",
        policy: PolicyConfig(name: .h2o, window: 8), budget: 256, dataset: "multifieldqa_en", datasetVersion: "v1",
        promptTemplate: "Read {context} Q: {input}", applyChatTemplate: true, maxLength: 3500, maxNewTokens: 64,
        stop: ["\n"], needle: NeedleSettings(), sampleIds: ["s1", "s2"])
    static let result = SampleResult(sampleId: "s1", prediction: "Ann", promptTokens: 100, generatedTokens: 3,
                                     prefillSeconds: 0.5, decodeSeconds: 0.25, kvBytes: 4096, hardware: hardware)

    func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WireJSON.canonicalData(value), as: UTF8.self)
    }

    @Test func specsAndTheirHashes() throws {
        #expect(try json(Self.needleSpec) == Golden.needleSpec)
        #expect(try json(Self.longBenchSpec) == Golden.longBenchSpec)
        #expect(try json(Self.sample) == Golden.sample)
        #expect(try json(Self.jobSpec) == Golden.jobSpec)
        #expect(try Self.jobSpec.key().hex == Golden.jobKey)
        #expect(try Self.sample.id() == Golden.sampleId)
        let expanded = try ExperimentExpansion.expand(Self.needleSpec, samples: [])
        #expect(expanded.experimentId == Golden.experimentId)
        #expect(expanded.jobs.map(\.key.hex).sorted().first == Golden.firstNeedleJobKey)
    }

    /// Issue 12: the typed vocabulary decodes the pinned bytes and re-encodes them unchanged, so
    /// stored specs and running workers read the new types and old job keys stay valid.
    @Test func pinnedBytesRoundTripThroughTheTypedVocabulary() throws {
        func roundTrip<T: Codable>(_ type: T.Type, _ golden: String) throws -> String {
            try json(try StrictJSONDecoder.decode(T.self, from: Data(golden.utf8)))
        }
        #expect(try roundTrip(ExperimentSpec.self, Golden.needleSpec) == Golden.needleSpec)
        #expect(try roundTrip(ExperimentSpec.self, Golden.longBenchSpec) == Golden.longBenchSpec)
        #expect(try roundTrip(JobSpec.self, Golden.jobSpec) == Golden.jobSpec)
        #expect(try StrictJSONDecoder.decode(JobSpec.self, from: Data(Golden.jobSpec.utf8)).key().hex == Golden.jobKey)
        #expect(try roundTrip(LeaseResponse.self, Golden.leaseResponse) == Golden.leaseResponse)
        #expect(try roundTrip(NeedleHeatmap.self, Golden.heatmap) == Golden.heatmap)
    }

    @Test func workerMessages() throws {
        let lease = Lease(jobId: 7, jobKey: JobKey(hex: "k"), token: "t", expiresAt: 1_700_000_000.5, leaseSeconds: 60,
                          attempt: 2, spec: Self.jobSpec, pendingSampleIds: ["s1"])
        #expect(try json(LeaseRequest(workerId: "w1", hardware: Self.hardware, models: ["m"], engineVersions: nil)) == Golden.leaseRequest)
        #expect(try json(LeaseRequest(workerId: "w1", hardware: Self.hardware, models: ["m"], engineVersions: ["f32": "e1", "int8": "e2"]))
                == Golden.leaseRequestWithVersions)
        #expect(try json(LeaseResponse(lease: lease)) == Golden.leaseResponse)
        #expect(try json(LeaseResponse(lease: nil)) == Golden.noLease)
        #expect(try json(HeartbeatRequest(token: "t", samplesDone: 3)) == Golden.heartbeat)
        #expect(try json(HeartbeatResponse(expiresAt: 5, cancel: true)) == Golden.heartbeatResponse)
        #expect(try json(PredictionPost(token: "t", result: Self.result)) == Golden.predictionPost)
        #expect(try json(FailRequest(token: "t", error: "boom")) == Golden.fail)
        #expect(try json(JobStateResponse(jobId: 7, state: "done")) == Golden.jobState)
    }

    @Test func adminMessages() throws {
        let status = ExperimentStatus(experiment: "exp-1", benchmark: .needle, priority: 1, createdAt: 10, cancelled: false,
                                      jobs: JobCounts(queued: 1, leased: 2, done: 3, dead: 4, cancelled: 5),
                                      samples: SampleCounts(done: 6, total: 7), tokensPerSecond: nil, etaSeconds: 8)
        #expect(try json(status) == Golden.status)
        #expect(try json(SubmitResponse(experiment: "exp-1", jobsCreated: 2, jobsExisting: 1)) == Golden.submit)
        #expect(try json(ExperimentActionResponse(experiment: "exp-1", jobsChanged: 3)) == Golden.action)
        #expect(try json(WorkerList(workers: [WorkerInfo(id: "w1", hardware: Self.hardware, models: ["m"], lastSeen: 9,
                                                         jobsDone: 2, currentJobId: 7)])) == Golden.workers)
        let results = ExperimentResults(experiment: "exp-1", spec: Self.longBenchSpec, jobs: [JobResults(
            jobId: 7, key: JobKey(hex: "k"), state: "done", spec: Self.jobSpec, predictions: [PredictionRecord(
                sampleId: "s1", sample: Self.sample, result: Self.result, workerId: "w1", score: 0.5)])])
        #expect(try json(results) == Golden.results)
        #expect(try json(ScoreUpload(scores: [ScoreRecord(jobId: 7, sampleId: "s1", metric: "qa_f1", score: 1)]))
                == Golden.scores)
        #expect(try json(BlobStored(sha256: "h", bytes: 3)) == Golden.blob)
        #expect(try json(ErrorBody(error: "invalid", field: "spec.budgets", message: "m")) == Golden.error)
        #expect(try json(NeedleHeatmap(title: "t", cells: [NeedleHeatmap.Cell(length: 1000, depth: 50, score: 0.5)],
                                      overall: 0.5, overallCiLow: 0.5, overallCiHigh: 0.5))
                == Golden.heatmap)
        #expect(try json(ResultsTable.build(from: results)) == Golden.table)
    }
}

/// Captured from the encoder before wire types moved from key strategies to explicit coding keys.
private enum Golden {
    static let needleSpec = #"{"benchmark":"needle","budgets":[64,128],"max_attempts":4,"model_sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","needle":{"depths":[0,50],"lengths":[1000,2000],"settings":{"buffer_tokens":200,"haystack_sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","max_new_tokens":30,"needle":"\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n","prompt_template":"<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:","question":"The best thing to do in San Francisco is: ","stop":["\n"]}},"policies":[{"beta":20,"kernel":7,"layout":"query_head","name":"snapkv","pooling":"max","window":8},{"beta":10,"kernel":5,"layout":"kv_head","name":"pyramidkv","pooling":"avg","preset":"paper2024","window":16}],"priority":2,"shard_tokens":3000}"#
    static let longBenchSpec = #"{"benchmark":"longbench","budgets":[256],"longbench":{"dataset_version":"v1","datasets":[{"apply_chat_template":true,"dataset":"multifieldqa_en","max_new_tokens":64,"prompt_template":"Read {context} Q: {input}","stop":["\n"]}],"limit":5,"max_length":3500},"max_attempts":3,"model_sha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","policies":[{"beta":20,"kernel":7,"layout":"query_head","name":"h2o","pooling":"max","window":8}],"priority":0,"shard_tokens":65536}"#
    static let sample = #"{"all_classes":["a","b"],"answers":["Ann"],"benchmark":"longbench","context":"Ctx","dataset":"multifieldqa_en","input":"Who?","record_id":"r1","record_length":120}"#
    static let jobSpec = #"{"apply_chat_template":true,"benchmark":"longbench","budget":256,"dataset":"multifieldqa_en","dataset_version":"v1","engine_version":"e1","max_length":3500,"max_new_tokens":64,"model_sha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","needle":{"buffer_tokens":200,"max_new_tokens":30,"needle":"\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n","prompt_template":"<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:","question":"The best thing to do in San Francisco is: ","stop":["\n"]},"policy":{"beta":20,"kernel":7,"layout":"query_head","name":"h2o","pooling":"max","window":8},"prompt_template":"Read {context} Q: {input}","sample_ids":["s1","s2"],"stop":["\n"]}"#
    static let jobKey = #"39dc6298f05967a78e1cd2f913292aa58ed1e41354c0b7514991a3263c800f36"#
    static let sampleId = #"ab1f37d66977b536622bedcc7f21ad0db9cfd27ed93118005cb783d0cf0f276f"#
    // Changed on purpose (issue 12): the fixture's preset "paper" is refused now, so it names paper2024.
    static let experimentId = #"exp-9e40144691e0c9a0"#
    // Changed on purpose (2026-12-07): expanded jobs carry their mode's numerics version (exact: 0.2.0), bumped from
    // 0.1.0 to 0.2.0 with the K-quant kernels, so jobs submitted now get new keys.
    static let firstNeedleJobKey = #"1c65da9c4fd2b23fe5793d18f7fb2cbd787bd9a72866290b95bbe9fa45bb3451"#
    static let leaseRequest = #"{"hardware":{"cpu":"AMD EPYC","dtype":"q4_1","engine_version":"e1","threads":2},"models":["m"],"worker_id":"w1"}"#
    // Added on purpose (2026-12-07): workers name the numerics version they run in each mode.
    static let leaseRequestWithVersions = #"{"engine_versions":{"f32":"e1","int8":"e2"},"hardware":{"cpu":"AMD EPYC","dtype":"q4_1","engine_version":"e1","threads":2},"models":["m"],"worker_id":"w1"}"#
    static let leaseResponse = #"{"lease":{"attempt":2,"expires_at":1700000000.5,"job_id":7,"job_key":"k","lease_seconds":60,"pending_sample_ids":["s1"],"spec":{"apply_chat_template":true,"benchmark":"longbench","budget":256,"dataset":"multifieldqa_en","dataset_version":"v1","engine_version":"e1","max_length":3500,"max_new_tokens":64,"model_sha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","needle":{"buffer_tokens":200,"max_new_tokens":30,"needle":"\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n","prompt_template":"<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:","question":"The best thing to do in San Francisco is: ","stop":["\n"]},"policy":{"beta":20,"kernel":7,"layout":"query_head","name":"h2o","pooling":"max","window":8},"prompt_template":"Read {context} Q: {input}","sample_ids":["s1","s2"],"stop":["\n"]},"token":"t"}}"#
    static let noLease = #"{}"#
    static let heartbeat = #"{"samples_done":3,"token":"t"}"#
    static let heartbeatResponse = #"{"cancel":true,"expires_at":5}"#
    static let predictionPost = #"{"result":{"decode_seconds":0.25,"generated_tokens":3,"hardware":{"cpu":"AMD EPYC","dtype":"q4_1","engine_version":"e1","threads":2},"kv_bytes":4096,"prediction":"Ann","prefill_seconds":0.5,"prompt_tokens":100,"sample_id":"s1"},"token":"t"}"#
    static let fail = #"{"error":"boom","token":"t"}"#
    static let jobState = #"{"job_id":7,"state":"done"}"#
    static let status = #"{"benchmark":"needle","cancelled":false,"created_at":10,"eta_seconds":8,"experiment":"exp-1","jobs":{"cancelled":5,"dead":4,"done":3,"leased":2,"queued":1},"priority":1,"samples":{"done":6,"total":7},"tokens_per_second":null}"#
    static let submit = #"{"experiment":"exp-1","jobs_created":2,"jobs_existing":1}"#
    static let action = #"{"experiment":"exp-1","jobs_changed":3}"#
    static let workers = #"{"workers":[{"current_job_id":7,"hardware":{"cpu":"AMD EPYC","dtype":"q4_1","engine_version":"e1","threads":2},"id":"w1","jobs_done":2,"last_seen":9,"models":["m"]}]}"#
    static let results = #"{"experiment":"exp-1","jobs":[{"job_id":7,"key":"k","predictions":[{"result":{"decode_seconds":0.25,"generated_tokens":3,"hardware":{"cpu":"AMD EPYC","dtype":"q4_1","engine_version":"e1","threads":2},"kv_bytes":4096,"prediction":"Ann","prefill_seconds":0.5,"prompt_tokens":100,"sample_id":"s1"},"sample":{"all_classes":["a","b"],"answers":["Ann"],"benchmark":"longbench","context":"Ctx","dataset":"multifieldqa_en","input":"Who?","record_id":"r1","record_length":120},"sample_id":"s1","score":0.5,"worker_id":"w1"}],"spec":{"apply_chat_template":true,"benchmark":"longbench","budget":256,"dataset":"multifieldqa_en","dataset_version":"v1","engine_version":"e1","max_length":3500,"max_new_tokens":64,"model_sha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","needle":{"buffer_tokens":200,"max_new_tokens":30,"needle":"\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n","prompt_template":"<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:","question":"The best thing to do in San Francisco is: ","stop":["\n"]},"policy":{"beta":20,"kernel":7,"layout":"query_head","name":"h2o","pooling":"max","window":8},"prompt_template":"Read {context} Q: {input}","sample_ids":["s1","s2"],"stop":["\n"]},"state":"done"}],"spec":{"benchmark":"longbench","budgets":[256],"longbench":{"dataset_version":"v1","datasets":[{"apply_chat_template":true,"dataset":"multifieldqa_en","max_new_tokens":64,"prompt_template":"Read {context} Q: {input}","stop":["\n"]}],"limit":5,"max_length":3500},"max_attempts":3,"model_sha256":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","policies":[{"beta":20,"kernel":7,"layout":"query_head","name":"h2o","pooling":"max","window":8}],"priority":0,"shard_tokens":65536}}"#
    static let scores = #"{"scores":[{"job_id":7,"metric":"qa_f1","sample_id":"s1","score":1}]}"#
    static let blob = #"{"bytes":3,"sha256":"h"}"#
    static let error = #"{"error":"invalid","field":"spec.budgets","message":"m"}"#
    // The results views with n and 95 % intervals (issue 10); these are not captured from the old encoder.
    static let heatmap = #"{"cells":[{"ci_high":0.5,"ci_low":0.5,"depth":50,"length":1000,"n":1,"score":0.5}],"overall":0.5,"overall_ci_high":0.5,"overall_ci_low":0.5,"title":"t","unscored":0}"#
    static let table = #"{"columns":["multifieldqa_en"],"rows":[{"average":{"ci_high":50,"ci_low":50,"n":1,"score":50},"budget":256,"cells":{"multifieldqa_en":{"ci_high":50,"ci_low":50,"n":1,"score":50}},"policy":"h2o"}],"title":"longbench","unscored":0}"#
}
