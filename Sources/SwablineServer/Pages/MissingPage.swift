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

    /// Links to the previous and next pages, and where this one stands; nil for a single page.
    func navigation(path: String, _ page: PageEnvironment) -> [String: Any]? {
        guard count > 1 else { return nil }
        var values: [String: Any] = [
            "label": page.language.text["page_of"]!.replacingOccurrences(of: "{n}", with: "\(number)")
                .replacingOccurrences(of: "{m}", with: "\(count)"),
        ]
        if number > 1 { values["previous"] = "\(path)?page=\(number - 1)#missing" }
        if number < count { values["next"] = "\(path)?page=\(number + 1)#missing" }
        return values
    }
}
