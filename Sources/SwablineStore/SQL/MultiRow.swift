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
