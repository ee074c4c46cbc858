/// Statements that write many rows at once: one round trip and one
/// statement step instead of one per row, on both engines.
enum MultiRow {
    /// `(?, ?, …), (?, ?, …), …`: `count` rows of `columns` placeholders,
    /// the VALUES of a multi-row INSERT.
    static func values(_ count: Int, columns: Int) -> String {
        Array(repeating: list(columns), count: count).joined(separator: ", ")
    }

    /// `(?, ?, …)`: `count` placeholders, one row's VALUES or an `IN` list.
    static func list(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}

extension MultiRow {
    /// The longest `IN` list the store binds: 512 values and a few more
    /// are well inside both engines' limits on bound values.
    static let inListLimit = 512

    /// `values` as `IN` lists of a few sizes only (powers of two up to
    /// `inListLimit`), each padded by repeating its last value, which
    /// matches nothing new: a cached statement per size, not one per
    /// count a caller happens to have.
    static func inLists<Value>(_ values: [Value]) -> [(list: String, values: [Value])] {
        stride(from: 0, to: values.count, by: inListLimit).map { start in
            var chunk = Array(values[start..<min(start + inListLimit, values.count)])
            var size = 1
            while size < chunk.count { size *= 2 }
            chunk += Array(repeating: chunk[chunk.count - 1], count: size - chunk.count)
            return (list(size), chunk)
        }
    }
}

/// A statement that differs only by how many rows it writes, its SQL
/// built once per count up to `limit` (a tube's members: at most 20)
/// rather than at every call.
struct MultiRowSQL: Sendable {
    private let built: [String]
    private let make: @Sendable (Int) -> String

    init(upTo limit: Int, _ make: @escaping @Sendable (_ rows: Int) -> String) {
        built = (0...limit).map(make)
        self.make = make
    }

    subscript(rows: Int) -> String { rows < built.count ? built[rows] : make(rows) }
}
