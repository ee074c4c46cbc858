import Testing
@testable import SwablineServer

@Suite("CSV export fields")
struct ExportFieldTests {
    @Test("a field a spreadsheet would run as a formula is written as text; others as they are")
    func inert() {
        #expect(ExportController.inert("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")")
        for text in ["+1", "-2", "@SUM(A1)", "\tx"] { #expect(ExportController.inert(text) == "'" + text) }
        for text in ["周国栋", "1-1-202", "138****5678", ""] { #expect(ExportController.inert(text) == text) }
    }
}
