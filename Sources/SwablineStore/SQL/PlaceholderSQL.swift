import Synchronization

/// The store's SQL with PostgreSQL's numbered placeholders: `?` becomes
/// `$1`, `$2`, … in order, and a named `:site` becomes one number wherever
/// it appears, except inside quoted strings, quoted names and comments.
/// The store writes its SQL once for both engines; the translation of each
/// distinct statement is kept, as SQLite keeps its prepared ones.
enum PlaceholderSQL {
    struct Translated: Sendable {
        var sql: String
        /// The names behind `$1`, `$2`, … when the statement uses named ones.
        var names: [String]
        /// How many `?` it had: the values it takes when it names none.
        var positional = 0
    }

    private static let cache = Mutex([String: Translated]())
    /// Past this many distinct statements the cache starts over (statements
    /// built with a variable number of placeholders could otherwise grow it).
    private static let cacheLimit = 4_096

    static func postgres(_ sql: String) -> Translated {
        if let known = cache.withLock({ $0[sql] }) { return known }
        let translated = translate(sql)
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[sql] = translated
        }
        return translated
    }

    static func translate(_ sql: String) -> Translated {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var names: [String] = []
        var quote: Character?
        var lineComment = false
        var blockComment = false
        var name: String?
        var previous: Character?
        func endName() {
            guard let finished = name else { return }
            name = nil
            if finished.isEmpty {
                out.append(":")
            } else if let index = names.firstIndex(of: finished) {
                out += "$\(index + 1)"
            } else {
                names.append(finished)
                out += "$\(names.count)"
            }
        }
        for character in sql {
            defer { previous = character }
            if name != nil {
                if character.isLetter || character.isNumber || character == "_" {
                    name!.append(character)
                    continue
                }
                endName()
            }
            if lineComment {
                if character == "\n" { lineComment = false }
            } else if blockComment {
                if previous == "*", character == "/" { blockComment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if previous == "-", character == "-" {
                lineComment = true
            } else if previous == "/", character == "*" {
                blockComment = true
            } else if character == "?" {
                number += 1
                out += "$\(number)"
                continue
            } else if character == ":", previous != ":" {
                name = ""
                continue
            }
            out.append(character)
        }
        endName()
        return Translated(sql: out, names: names, positional: number)
    }
}
