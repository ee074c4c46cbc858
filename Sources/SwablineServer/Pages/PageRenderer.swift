import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the pages' Mustache templates, read once from the bundle.
///
/// Every page is one template that includes the `head` and `foot` partials
/// (inline CSS, the language switch, the error box). Values are HTML-escaped
/// by Mustache; only server-drawn SVG is inserted raw.
enum PageRenderer {
    static let library: MustacheLibrary = {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { fatalError("templates are missing from the SwablineServer bundle") }
        var library = MustacheLibrary()
        for name in names where name.hasSuffix(".mustache") {
            let url = folder.appendingPathComponent(name)
            do {
                try library.register(String(contentsOf: url, encoding: .utf8), named: String(name.dropLast(".mustache".count)))
            } catch {
                fatalError("template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// The page script (keeps the scanner field focused, runs the live board), read once.
    static let script: Data = {
        guard let url = Bundle.module.url(forResource: "pages", withExtension: "js"), let data = try? Data(contentsOf: url)
        else { fatalError("pages.js is missing from the SwablineServer bundle") }
        return data
    }()

    /// No resource from anywhere else; the one script is same-origin.
    static let securityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func html(_ template: String, _ values: PageLayers, status: HTTPResponse.Status = .ok) -> Response {
        guard let text = library.render(values, withTemplate: template) else { fatalError("no template \(template)") }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers.append(contentsOf: pageHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// What every page is sent with besides its type: never cached (a page
    /// holds personal data and a fresh form key), no foreign resources.
    static let pageHeaders: HTTPFields = [
        .cacheControl: "no-store", .contentSecurityPolicy: securityPolicy,
        HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
