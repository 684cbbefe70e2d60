/// The sign-in form: the admin token, posted to `/ui/login`, which answers with the session
/// cookie and a redirect to `next` (a page under /ui/ only, so the form is no open redirect).
enum LoginPage {
    static func render(next: String, message: String?) -> String {
        let notice = message.map { "<div class=\"error\" id=\"login-error\">\(HTML.escape($0))</div>" } ?? ""
        return UIPage(title: "Sign in", section: .none, body: """
            <div class="card login"><h1>Sign in</h1>
            <p class="sub">The pages need the coordinator's admin token (the content of its --admin-token-file).</p>
            \(notice)
            <form method="post" action="/ui/login" id="login">
            <label for="token">Admin token</label>
            <input type="password" id="token" name="token" autocomplete="current-password" required autofocus>
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <button type="submit">Sign in</button>
            </form></div>
            """, signedIn: false).render()
    }

    /// `next` when it names a page of this server, else the experiments list.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/ui/"), !next.hasPrefix("/ui/login"),
              !next.contains("\\"), !next.contains("//"), next.utf8.count <= 2048,
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return "/ui/experiments" }
        return next
    }
}

/// `application/x-www-form-urlencoded` (WHATWG URL §5.1): `+` is a space, `%XX` a byte.
enum FormBody {
    static func parse(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                      let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                out.append(value)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
