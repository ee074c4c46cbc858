/// Statements that write many rows at once: one round trip and one
/// statement step instead of one per row, on both engines.
enum MultiRow {
    /// `(?, ?, …), (?, ?, …), …`: `count` rows of `columns` placeholders,
    /// the VALUES of a multi-row INSERT.
    static func values(_ count: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: count).joined(separator: ", ")
    }
}
