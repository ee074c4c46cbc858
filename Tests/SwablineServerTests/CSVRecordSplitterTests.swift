import Testing
@testable import SwablineServer

@Suite("A CSV upload cut into records as it arrives")
struct CSVRecordSplitterTests {
    static let file = Array("\u{FEFF}tube,result\r\n\"T,1\",\"two\nlines\"\r\nT2,negative\n\nT3,positive".utf8)

    static func records(_ chunks: [ArraySlice<UInt8>], limit: Int = 100) -> [CSVRecordSplitter.Record] {
        var splitter = CSVRecordSplitter(limit: limit)
        var records = chunks.flatMap { splitter.feed($0) }
        if let last = splitter.end() { records.append(last) }
        return records
    }

    @Test("records keep the line they start on; a quoted line break stays in its field; the BOM and CR are dropped")
    func whole() {
        let records = Self.records([Self.file[...]])
        #expect(records.map(\.line) == [1, 2, 4, 5, 6])
        #expect(records.map { String(decoding: $0.bytes ?? [], as: UTF8.self) } == [
            "tube,result", "\"T,1\",\"two\nlines\"", "T2,negative", "", "T3,positive",
        ])
    }

    @Test("any way the bytes are chunked gives the same records", arguments: 1...17)
    func chunked(size: Int) {
        let chunks = stride(from: 0, to: Self.file.count, by: size).map { Self.file[$0..<min($0 + size, Self.file.count)] }
        #expect(Self.records(chunks) == Self.records([Self.file[...]]))
    }

    @Test("a line past the limit is reported without its bytes, and the next line is read as usual")
    func tooLong() {
        let records = Self.records([Array("tube\n\(String(repeating: "x", count: 50))\nT1\n".utf8)[...]], limit: 10)
        #expect(records.map(\.line) == [1, 2, 3] && records[1].bytes == nil && records[2].bytes == Array("T1".utf8))
    }

    @Test("a stray quote swallows no more than the limit: the lines after it are records again")
    func strayQuote() {
        let rows = ["tube,result", "T9,negative\"", String(repeating: "T,negative\n", count: 20)].joined(separator: "\n")
        let records = Self.records([Array(rows.utf8)[...]], limit: 50)
        #expect(records.count > 10, "\(records.map(\.line))")
        #expect(records.contains { $0.bytes == nil }, "the record the quote ran on is reported too long")
        #expect(records.last?.bytes == Array("T,negative".utf8))
    }
}
