import Coordinator
import FleetCore
import Foundation
import PolicySpec
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// The /ui pages over real loopback HTTP against a real SQLite store: the admin credential is
/// required (bearer or the login cookie), every database value is escaped, and the pages show
/// what the JSON API's store queries return.
@Suite(.serialized) struct UIPagesTests {
    let directory: TemporaryDirectory
    static let nastyNeedle = "\nThe best thing is <script>alert(\"needle\")</script> & 'quotes'.\n"
    static let nastyPrediction = "<img src=x onerror=alert(1)> \"eat\" a 'sandwich' & sit"

    init() throws { directory = try TemporaryDirectory() }

    /// A finished two-cell sweep (snapkv @ 64) with the nasty needle and prediction.
    func seeded() async throws -> (RunningCoordinator, experiment: String, jobId: Int64, sampleIds: [String]) {
        let coordinator = try await RunningCoordinator.start(in: directory)
        var spec = needleSpec(lengths: [500], depths: [0, 100], policies: [.snapkv], budgets: [64])
        spec.needle?.settings = NeedleSettings(needle: Self.nastyNeedle, answer: "eat a sandwich")
        let submitted = try await coordinator.store.submit(SubmitRequest(spec: spec))
        let lease = try #require(try await coordinator.store.lease(leaseRequest("host-a-42")))
        for (index, sampleId) in lease.pendingSampleIds.enumerated() {
            var result = sampleResult(sampleId, prediction: Self.nastyPrediction)
            result.scores = [MetricScore(metric: "needle_word_recall", score: index == 0 ? 1 : 0.5)]
            _ = try await coordinator.store.postPrediction(job: lease.jobId, PredictionPost(token: lease.token, result: result))
        }
        _ = try await coordinator.store.complete(job: lease.jobId, token: lease.token)
        return (coordinator, submitted.experiment, lease.jobId, lease.pendingSampleIds)
    }

    func get(_ coordinator: RunningCoordinator, _ path: String, bearer: String? = nil,
             cookie: String? = nil) async throws -> (status: Int, body: String, headers: [String: String]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(coordinator.port)\(path)")!)
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        return try await NoRedirectClient.send(request)
    }

    func postForm(_ coordinator: RunningCoordinator, _ path: String, _ form: String) async throws
        -> (status: Int, body: String, headers: [String: String]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(coordinator.port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = Data(form.utf8)
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        return try await NoRedirectClient.send(request)
    }

    @Test func everyPageWantsTheAdminCredential() async throws {
        let (coordinator, experiment, jobId, samples) = try await seeded()
        let pages = ["/ui/experiments", "/ui/workers", "/ui/experiments/\(experiment)",
                     "/ui/experiments/\(experiment)/table/csv",
                     "/ui/experiments/\(experiment)/jobs/\(jobId)/samples/\(samples[0])"]
        for page in pages {
            let anonymous = try await get(coordinator, page)
            #expect(anonymous.status == 401, "\(page) without a credential")
            #expect(anonymous.body.contains("<form method=\"post\" action=\"/ui/login\""), "\(page) shows the sign-in form")
            #expect(anonymous.headers["www-authenticate"] == "Bearer")
            #expect(!anonymous.body.contains(experiment + "</h1>"), "\(page) leaks nothing")
            #expect(try await get(coordinator, page, bearer: workerToken).status == 403, "\(page) with the worker token")
            #expect(try await get(coordinator, page, bearer: "wrong").status == 401, "\(page) with a wrong token")
            #expect(try await get(coordinator, page, cookie: "pyramidkv_session=\(adminToken)").status == 401,
                    "\(page) with the raw token as cookie")
            #expect(try await get(coordinator, page, bearer: adminToken).status == 200, "\(page) with the admin token")
        }
        await coordinator.stop()
    }

    /// A protocol other than the reference drivers' (part of every job key) is shown with the settings.
    @Test func theExperimentPageNamesItsProtocol() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        var spec = needleSpec(lengths: [500], depths: [0], policies: [.snapkv], budgets: [64])
        let plain = try await coordinator.store.submit(SubmitRequest(spec: spec))
        spec.question = .afterCompression
        let after = try await coordinator.store.submit(SubmitRequest(spec: spec))
        let plainPage = try await get(coordinator, "/ui/experiments/\(plain.experiment)", bearer: adminToken)
        #expect(plainPage.status == 200 && !plainPage.body.contains("<dt>protocol</dt>"))
        let afterPage = try await get(coordinator, "/ui/experiments/\(after.experiment)", bearer: adminToken)
        #expect(afterPage.body.contains("<dt>protocol</dt><dd>question after-compression</dd>"), "\(afterPage.body)")
        await coordinator.stop()
    }

    @Test func rootAndUIRootSendABrowserToTheExperiments() async throws {
        let (coordinator, _, _, _) = try await seeded()
        for path in ["/", "/ui"] {
            let answer = try await get(coordinator, path)
            #expect(answer.status == 302, "\(path)")
            #expect(answer.headers["location"] == "/ui/experiments", "\(path)")
        }
        // Without a credential the experiments page then shows the sign-in form.
        #expect(try await get(coordinator, "/ui/experiments").status == 401)
        await coordinator.stop()
    }

    @Test func theLoginFormSetsAnHttpOnlyStrictCookieThatOpensThePages() async throws {
        let (coordinator, _, _, _) = try await seeded()
        let form = try await get(coordinator, "/ui/login?next=/ui/workers")
        #expect(form.status == 200 && form.body.contains("name=\"next\" value=\"/ui/workers\""))

        let signedIn = try await postForm(coordinator, "/ui/login", "token=\(adminToken)&next=%2Fui%2Fworkers")
        #expect(signedIn.status == 303)
        #expect(signedIn.headers["location"] == "/ui/workers")
        let setCookie = try #require(signedIn.headers["set-cookie"])
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/ui", "Max-Age="] {
            #expect(setCookie.contains(attribute), "Set-Cookie has \(attribute): \(setCookie)")
        }
        let cookie = String(setCookie.split(separator: ";")[0])
        #expect(cookie.hasPrefix("pyramidkv_session=") && !cookie.contains(adminToken))
        let workers = try await get(coordinator, "/ui/workers", cookie: "theme=dark; " + cookie)
        #expect(workers.status == 200 && workers.body.contains("host-a-42"))
        // The cookie opens pages, not the JSON API.
        var api = URLRequest(url: URL(string: "http://127.0.0.1:\(coordinator.port)/v1/workers")!)
        api.setValue(cookie, forHTTPHeaderField: "Cookie")
        #expect(try await NoRedirectClient.send(api).status == 401)

        #expect(try await postForm(coordinator, "/ui/login", "token=nope").status == 401)
        let worker = try await postForm(coordinator, "/ui/login", "token=\(workerToken)")
        #expect(worker.status == 403 && worker.headers["set-cookie"] == nil)
        #expect(try await postForm(coordinator, "/ui/login", "next=%2Fui%2Fworkers").status == 400)
        // `next` outside the pages is no open redirect.
        for next in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2Fui%2F..%5C%5Cevil"] {
            let redirected = try await postForm(coordinator, "/ui/login", "token=\(adminToken)&next=\(next)")
            #expect(redirected.headers["location"] == "/ui/experiments", "next=\(next)")
        }
        let signedOut = try await postForm(coordinator, "/ui/logout", "")
        #expect(signedOut.status == 303 && signedOut.headers["set-cookie"]?.contains("Max-Age=0") == true)
        await coordinator.stop()
    }

    @Test func databaseValuesAreEscapedOnEveryPage() async throws {
        let (coordinator, experiment, jobId, samples) = try await seeded()
        for page in ["/ui/experiments", "/ui/experiments/\(experiment)",
                     "/ui/experiments/\(experiment)/jobs/\(jobId)/samples/\(samples[0])", "/ui/workers"] {
            let response = try await get(coordinator, page, bearer: adminToken)
            #expect(response.status == 200)
            #expect(!response.body.contains("<script"), "\(page) carries no script element")
            #expect(!response.body.contains("<img"), "\(page) carries no injected element")
            #expect(response.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            #expect(response.headers["content-type"] == "text/html; charset=utf-8")
        }
        let experimentPage = try await get(coordinator, "/ui/experiments/\(experiment)", bearer: adminToken).body
        #expect(experimentPage.contains("The best thing is &lt;script&gt;alert(&quot;needle&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;."))
        let samplePage = try await get(coordinator, "/ui/experiments/\(experiment)/jobs/\(jobId)/samples/\(samples[0])",
                                        bearer: adminToken).body
        #expect(samplePage.contains("&lt;img src=x onerror=alert(1)&gt; &quot;eat&quot; a &#39;sandwich&#39; &amp; sit"))
        await coordinator.stop()
    }

    @Test func pagesShowWhatTheStoreHolds() async throws {
        let (coordinator, experiment, jobId, samples) = try await seeded()
        let list = try await get(coordinator, "/ui/experiments", bearer: adminToken).body
        #expect(list.contains("href=\"/ui/experiments/\(experiment)\""))
        #expect(list.contains("<span class=\"samples\">2/2</span>"))
        #expect(list.contains("snapkv × 64"))

        let page = try await get(coordinator, "/ui/experiments/\(experiment)", bearer: adminToken).body
        let results = try await coordinator.store.results(experiment: experiment)
        let table = try ResultsTable.build(from: results)
        let cell = try #require(table.rows.first?.cells["needle"])
        #expect(cell.n == 2 && cell.score == 75)
        #expect(page.contains("data-score=\"75.00\" data-n=\"2\" data-ci-low=\"\(String(format: "%.2f", cell.ciLow))\""))
        #expect(page.components(separatedBy: "<rect class=\"cell\"").count - 1 == 2)
        // The report's figures: score vs budget and vs KV bytes, SnapKV's curve with its band.
        #expect(page.contains("id=\"figures\"") && page.components(separatedBy: "class=\"budget-curves\"").count - 1 == 2)
        #expect(page.contains("<polyline class=\"curve\" data-policy=\"snapkv\""))
        #expect(page.contains("/ui/experiments/\(experiment)/jobs/\(jobId)/samples/\(samples[1])"))

        let csv = try await get(coordinator, "/ui/experiments/\(experiment)/table/csv", bearer: adminToken)
        #expect(csv.body == ResultsTableFormat.csv.render(table))
        #expect(csv.headers["content-disposition"] == "attachment; filename=\"\(experiment).csv\"")
        let latex = try await get(coordinator, "/ui/experiments/\(experiment)/table/latex", bearer: adminToken)
        #expect(latex.body == ResultsTableFormat.latex.render(table))
        #expect(try await get(coordinator, "/ui/experiments/\(experiment)/table/xlsx", bearer: adminToken).status == 400)
        #expect(try await get(coordinator, "/ui/experiments/\(experiment)?budget=65", bearer: adminToken).status == 400)
        #expect(try await get(coordinator, "/ui/experiments/exp-0000000000000000", bearer: adminToken).status == 404)
        #expect(try await get(coordinator, "/ui/experiments/\(experiment)/jobs/\(jobId)/samples/\(String(repeating: "0", count: 64))",
                              bearer: adminToken).status == 404)

        let sample = try await get(coordinator, "/ui/experiments/\(experiment)/jobs/\(jobId)/samples/\(samples[0])",
                                   bearer: adminToken).body
        #expect(sample.contains("<li>eat a sandwich</li>"))
        #expect(sample.contains("primary score: <strong>1.000</strong>"))
        // No inspector in this process: the page says the kept positions are not stored.
        #expect(sample.contains("id=\"no-inspection\""))

        let workers = try await get(coordinator, "/ui/workers", bearer: adminToken).body
        #expect(workers.contains("<td class=\"mono\">host-a-42</td><td>host-a</td>"))
        #expect(workers.contains("<td class=\"num\">1</td>"))
        await coordinator.stop()
    }
}

extension UIPagesTests {
    /// A LongBench sample has no needle: its page shows the stored input and context (escaped,
    /// long text elided in the middle), its answers, and no needle heatmap on the experiment page.
    @Test func longBenchSamplePageShowsTheStoredRecord() async throws {
        let coordinator = try await RunningCoordinator.start(in: directory)
        let spec = ExperimentSpec(benchmark: .longbench, modelSha256: modelHash, policies: [PolicyConfig(name: .snapkv)],
                                  budgets: [128], longbench: LongBenchSweep(datasets: [LongBenchDatasetProtocol(
                                      dataset: "qasper", promptTemplate: "Q {context} {input}", maxNewTokens: 16,
                                      applyChatTemplate: true)], maxLength: 3500, datasetVersion: "v1"))
        let context = "<b>start</b> " + String(repeating: "filler ", count: 400) + " the \"end\""
        let record = SampleSpec(benchmark: .longbench, dataset: "qasper", recordId: "q-1", input: "Who <i>wrote</i> it?",
                                context: context, answers: ["<u>Ada</u>", "Ada Lovelace"])
        let submitted = try await coordinator.store.submit(SubmitRequest(spec: spec, samples: [record]))
        let lease = try #require(try await coordinator.store.lease(leaseRequest("w-lb")))
        var result = sampleResult(lease.pendingSampleIds[0], prediction: "Ada")
        result.scores = [MetricScore(metric: "qa_f1_score", score: 1)]
        _ = try await coordinator.store.postPrediction(job: lease.jobId, PredictionPost(token: lease.token, result: result))

        let experiment = try await get(coordinator, "/ui/experiments/\(submitted.experiment)", bearer: adminToken).body
        #expect(experiment.contains("<th class=\"num\">qasper</th>"))
        #expect(!experiment.contains("id=\"heatmaps\""))
        let page = try await get(coordinator, "/ui/experiments/\(submitted.experiment)/jobs/\(lease.jobId)/samples/"
                                 + lease.pendingSampleIds[0], bearer: adminToken).body
        #expect(page.contains("Who &lt;i&gt;wrote&lt;/i&gt; it?"))
        #expect(page.contains("&lt;b&gt;start&lt;/b&gt; filler"))
        #expect(page.contains("characters…]"))
        #expect(page.contains("the &quot;end&quot;"))
        #expect(page.contains("<li>&lt;u&gt;Ada&lt;/u&gt;</li><li>Ada Lovelace</li>"))
        #expect(!page.contains("<b>") && !page.contains("<i>") && !page.contains("<u>"))
        await coordinator.stop()
    }
}

/// URLSession without following redirects or storing cookies, so a test sees the 303 and its
/// Set-Cookie as the browser receives them.
final class NoRedirectClient: NSObject, URLSessionTaskDelegate, Sendable {
    static let shared = NoRedirectClient()
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        return URLSession(configuration: configuration, delegate: shared, delegateQueue: nil)
    }()

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    static func send(_ request: URLRequest) async throws -> (status: Int, body: String, headers: [String: String]) {
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return (http?.statusCode ?? -1, String(decoding: data, as: UTF8.self), headers)
    }
}
