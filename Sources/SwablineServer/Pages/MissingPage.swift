import Hummingbird
import SwablineStore

/// One page of the not-yet-sampled list (`?page=N`, from 1). A page number
/// past the end, or not a number, is refused with a sentence saying the range.
struct MissingPage {
    var rows: ArraySlice<PersonLine>
    var number: Int
    var count: Int

    init(_ people: [PersonLine], request: Request, perPage: Int) throws {
        count = max(1, (people.count + perPage - 1) / perPage)
        if let text = request.uri.queryParameters.get("page") {
            guard let number = Int(text), (1...count).contains(number) else {
                throw Problem.invalidField("page", "must be a whole number from 1 to \(count)")
            }
            self.number = number
        } else {
            number = 1
        }
        let start = (number - 1) * perPage
        rows = people[min(start, people.count)..<min(start + perPage, people.count)]
    }

    /// Links to the previous and next pages, and where this one stands.
    struct Navigation: PageValues {
        var label: String
        var previous: String?
        var next: String?
    }

    /// Nil for a single page.
    /// `query` goes on every link after the page number (`&round=3`: paging stays in the round shown).
    func navigation(path: String, query: String = "", _ page: PageEnvironment) -> Navigation? {
        guard count > 1 else { return nil }
        return Navigation(
            label: page.language.text["page_of"]!.replacingOccurrences(of: "{n}", with: "\(number)")
                .replacingOccurrences(of: "{m}", with: "\(count)"),
            previous: number > 1 ? "\(path)?page=\(number - 1)\(query)#missing" : nil,
            next: number < count ? "\(path)?page=\(number + 1)\(query)#missing" : nil)
    }
}
