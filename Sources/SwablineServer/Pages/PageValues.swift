import Mustache

/// A template's values as a typed struct instead of a `[String: Any]`: a
/// misspelt or mistyped value is then a compile error, not a blank in the
/// page. Templates keep their snake_case names: `{{resident_code}}` reads the
/// stored property `residentCode` (computed properties are not seen).
///
/// A nil optional reads as missing, so Mustache looks further up its context
/// stack, exactly as an absent dictionary key did.
protocol PageValues: MustacheParent {}

extension PageValues {
    func child(named name: String) -> Any? {
        let label = PageValueNames.property(name)
        guard let value = Mirror(reflecting: self).children.first(where: { $0.label == label })?.value else { return nil }
        return PageValueNames.unwrapped(value)
    }
}

/// Nothing beyond what every page shows.
struct NoPageValues: PageValues {}

/// Several layers of values read as one: the first that has a name answers.
/// Pages put their own values above the site's and the frame's.
struct PageLayers: MustacheParent {
    var layers: [any PageValues]

    func child(named name: String) -> Any? {
        for layer in layers {
            if let value = layer.child(named: name) { return value }
        }
        return nil
    }
}

enum PageValueNames {
    /// "sampled_percent" → "sampledPercent".
    static func property(_ name: String) -> String {
        guard name.contains("_") else { return name }
        var result = ""
        var upper = false
        for character in name {
            if character == "_" {
                upper = true
            } else {
                result.append(upper ? Character(character.uppercased()) : character)
                upper = false
            }
        }
        return result
    }

    /// The value an optional holds, or nil; anything else as it is.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        guard let inner = mirror.children.first?.value else { return nil }
        return unwrapped(inner)
    }
}

/// A line of news above a page's form: what the last action did.
struct PageNotice: PageValues {
    var text: String
    /// Drawn as a warning (a repeated scan, a lost tube, a cold-chain warning).
    var warn = false
    var warnings: [String] = []
}

/// A site as a page heading names it.
struct SiteName: PageValues {
    var id: String
    var name: String
}
