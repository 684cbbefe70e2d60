import CCurl
import Foundation
import Synchronization

/// One HTTP exchange's answer.
struct CurlAnswer: Sendable {
    let status: Int
    let body: Data
}

/// Why an exchange got no HTTP answer (retryable) or an unusable one (not retryable).
enum CurlFailure: Error, CustomStringConvertible, Sendable {
    case transport(String)
    case tooLarge(limit: Int)
    case cancelled

    var description: String {
        switch self {
        case .transport(let detail): return detail
        case .tooLarge(let limit): return "answer larger than \(limit) bytes"
        case .cancelled: return "cancelled"
        }
    }
}

/// Blocking HTTP/1.1 on libcurl easy handles. Idle handles are kept so each next exchange reuses
/// the handle's keep-alive connection; concurrent callers each take their own handle. Transfers
/// run on a private dispatch queue, never on Swift's cooperative pool, so a slow coordinator
/// cannot starve the caller's other tasks.
final class CurlTransport: Sendable {
    private let idle = Mutex<[EasyHandle]>([])
    private static let queue = DispatchQueue(label: "pyramidkv.curl", attributes: .concurrent)
    private static let globalInit: CURLcode = ccurl_global_init()   // once, before any handle
    let connectTimeoutMilliseconds: Int
    let timeoutMilliseconds: Int

    init(connectTimeoutSeconds: Double, timeoutSeconds: Double) {
        connectTimeoutMilliseconds = Int(connectTimeoutSeconds * 1000)
        timeoutMilliseconds = Int(timeoutSeconds * 1000)
    }

    deinit {
        for handle in idle.withLock({ $0 }) { curl_easy_cleanup(handle.pointer) }
    }

    /// Performs one exchange off the cooperative pool; task cancellation aborts the transfer.
    func exchange(method: String, url: String, headers: [String], body: Data?,
                  maxResponseBytes: Int) async throws(CurlFailure) -> CurlAnswer {
        let state = TransferState(limit: maxResponseBytes)
        let result: Result<CurlAnswer, CurlFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Self.queue.async {
                    continuation.resume(returning: self.perform(method: method, url: url, headers: headers,
                                                                body: body, state: state))
                }
            }
        } onCancel: {
            state.cancelled.withLock { $0 = true }
        }
        return try result.get()
    }

    private func perform(method: String, url: String, headers: [String], body: Data?,
                         state: TransferState) -> Result<CurlAnswer, CurlFailure> {
        guard Self.globalInit == CURLE_OK else { return .failure(.transport("curl_global_init failed")) }
        guard let handle = idle.withLock({ $0.popLast()?.pointer }) ?? curl_easy_init() else {
            return .failure(.transport("curl_easy_init failed"))
        }
        // reset clears options only; the handle's open connection stays for reuse.
        curl_easy_reset(handle)
        var list: UnsafeMutablePointer<curl_slist>?
        // "Expect:" stops curl waiting for a 100-continue on larger bodies.
        for header in headers + ["Expect:"] { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let unmanaged = Unmanaged.passRetained(state)
        defer { unmanaged.release() }

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            url.withCString { url in method.withCString { method in
                _ = ccurl_setopt_pointer(handle, CURLOPT_URL, url)
                _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)   // no SIGALRM in a threaded process
                _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMilliseconds)
                _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds)
                _ = ccurl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1)
                _ = ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
                _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress)
                _ = ccurl_setopt_write_function(handle, curlWrite)
                _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
                _ = ccurl_setopt_progress_function(handle, curlProgress)
                _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, unmanaged.toOpaque())
                _ = ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
                _ = ccurl_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, method)
                let bytes = body ?? Data()
                return bytes.withUnsafeBytes { raw in
                    if body != nil {
                        _ = ccurl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
                        // An empty body still needs a pointer, or curl would call a read callback.
                        _ = ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS,
                                                 raw.baseAddress ?? UnsafeRawPointer(emptyBody.utf8Start))
                    }
                    return curl_easy_perform(handle)
                }
            } }
        }
        var status = 0
        ccurl_response_code(handle, &status)
        if code == CURLE_OK {
            let kept = EasyHandle(pointer: handle)
            idle.withLock { $0.append(kept) }
            return .success(CurlAnswer(status: status, body: state.body))
        }
        // A failed transfer may leave its connection half-used: drop the handle with it.
        curl_easy_cleanup(handle)
        if state.overLimit { return .failure(.tooLarge(limit: state.limit)) }
        if state.cancelled.withLock({ $0 }) { return .failure(.cancelled) }
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return .failure(.transport(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail))
    }
}

/// A CURL easy handle. It is only ever used by the one transfer that took it from the idle
/// list (under the lock), which is what makes handing it between threads safe.
private struct EasyHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}

private let emptyBody: StaticString = ""

/// What the C callbacks of one transfer write to and read from.
private final class TransferState: Sendable {
    let limit: Int
    let cancelled = Mutex(false)
    private let received = Mutex((body: Data(), overLimit: false))

    init(limit: Int) { self.limit = limit }

    var body: Data { received.withLock { $0.body } }
    var overLimit: Bool { received.withLock { $0.overLimit } }

    /// False stops the transfer (answer larger than `limit`).
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        received.withLock { state in
            guard state.body.count + bytes.count <= limit else {
                state.overLimit = true
                return false
            }
            state.body.append(contentsOf: bytes)
            return true
        }
    }
}

private func curlWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                       _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    return state.append(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
                          _ uploadTotal: curl_off_t, _ uploaded: curl_off_t) -> Int32 {
    guard let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    return state.cancelled.withLock { $0 } ? 1 : 0   // nonzero aborts the transfer
}
