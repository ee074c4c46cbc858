import Hummingbird

/// The language a page is shown in: Chinese unless `?lang=en`, a `lang`
/// cookie set by it, or an `Accept-Language` preferring English says otherwise.
enum PageLanguage: String, Sendable {
    case zh
    case en

    static let cookie = "swabline_lang"

    /// The explicit choice on this request, if any (`?lang=`).
    static func chosen(_ request: Request) -> PageLanguage? {
        request.uri.queryParameters.get("lang").flatMap(PageLanguage.init(rawValue:))
    }

    static func of(_ request: Request) -> PageLanguage {
        if let chosen = chosen(request) { return chosen }
        if let saved = request.cookies[cookie].flatMap({ PageLanguage(rawValue: $0.value) }) { return saved }
        // The first language named wins; weights are rarely out of order in practice.
        let first = request.headers[.acceptLanguage]?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return first.hasPrefix("en") ? .en : .zh
    }

    var other: PageLanguage { self == .zh ? .en : .zh }
    /// The name of the other language, in itself, for the switch link.
    var otherName: String { self == .zh ? "English" : "中文" }
    var htmlTag: String { self == .zh ? "zh-CN" : "en" }

    /// The words of the pages in this language.
    var text: [String: String] { self == .zh ? PageText.zh : PageText.en }

    func callAsFunction(_ key: String) -> String { text[key] ?? key }
}
