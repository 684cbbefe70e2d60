import HTTPTypes
import Hummingbird

/// The frame every page shares (title, navigation, the inline stylesheet) and the HTML response
/// headers: a Content-Security-Policy that allows no script and no fetch outside the page.
struct UIPage {
    enum Section: String { case experiments, workers, none }

    var title: String
    var section: Section
    var body: String
    /// The login page has no navigation (nothing behind it is reachable yet).
    var signedIn = true

    func render() -> String {
        let nav = signedIn ? """
            <nav>\(link("/ui/experiments", "Experiments", .experiments))\(link("/ui/workers", "Workers", .workers))</nav>
            <form method="post" action="/ui/logout"><button type="submit">Sign out</button></form>
            """ : ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · PyramidKV Fleet</title>
            <style>\(UIStyle.css)</style>
            </head><body>
            <header class="top"><span class="brand">PyramidKV Fleet</span>\(nav)</header>
            <main>
            \(body)
            </main>
            </body></html>
            """
    }

    private func link(_ href: String, _ text: String, _ target: Section) -> String {
        HTML.link(href, text, cssClass: target == section ? "current" : nil)
    }

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-store",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]

    static func response(_ html: String, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page that says what went wrong (404 for an unknown experiment, 400 for a bad parameter).
    static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let page = UIPage(title: "\(status.code) \(status.reasonPhrase)", section: .none,
                          body: "<h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1>"
                              + "<div class=\"error\">\(HTML.escape(message))</div>"
                              + "<p>\(HTML.link("/ui/experiments", "Back to the experiments"))</p>")
        return response(page.render(), status: status)
    }
}
