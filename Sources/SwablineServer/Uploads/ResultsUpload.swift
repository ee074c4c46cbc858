import CSV
import Foundation
import SwablineCore
import SwablineStore

/// The rows of a lab's CSV results file, read as they arrive and applied
/// in batches through the same delivery path as a webhook (`LabInbox`),
/// so a row decides an outcome exactly as a webhook item would. A bad row
/// is refused with its line and reason and the rest are applied: a lab
/// typing a day's results by hand must not lose the good rows to one typo.
struct ResultsUpload {
    /// Rows applied in one transaction: large enough that a day's file
    /// takes few commits, small enough that one batch's retry is cheap.
    static let batchSize = 500
    /// The longest line read; a longer one is refused.
    static let lineLimit = 2_048
    /// Refusals listed in the answer; past this only counted.
    static let refusalsListed = 1_000
    /// The columns a file must have (any order, any case); `ct` may be added.
    static let requiredColumns = ["tube", "result", "tested_at"]
    /// Result words as labs type them, beside Swabline's own.
    static let resultWords: [String: TubeResult] = [
        "negative": .negative, "positive": .positive, "invalid": .invalid, "阴性": .negative, "阳性": .positive, "无效": .invalid,
    ]

    struct Refusal: Sendable, Codable, Equatable {
        var line: Int
        var tube: String?
        var code: String
        var detail: String
    }

    struct Answer: Sendable, Codable, Equatable {
        /// Data rows read (the header not counted).
        var rows = 0
        /// How many rows met each fate (`ResultFate`), as a webhook's answer counts them.
        var counts: [String: Int] = [:]
        /// Rows not applied: unreadable, or a tube this lab cannot result now.
        var refused = 0
        var refusals: [Refusal] = []
    }

    let lab: String
    let store: any LabInbox
    private var columns: [String: Int]?
    private var batch: [(line: Int, result: PostedResult)] = []
    private(set) var answer = Answer()

    init(lab: String, store: any LabInbox) {
        self.lab = lab
        self.store = store
    }

    /// Reads one record: the header first, then a result row.
    mutating func take(_ record: CSVRecordSplitter.Record) async throws {
        guard let bytes = record.bytes else {
            return refuse(line: record.line, tube: nil, code: "line_too_long", "is longer than \(Self.lineLimit) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return refuse(line: record.line, tube: nil, code: "not_utf8", "is not UTF-8 text: save the file as CSV UTF-8")
        }
        if text.allSatisfy({ $0 == "," || $0.isWhitespace }) { return }  // a blank line, as spreadsheets leave at the end
        let reader = try CSVReader(string: text, trimFields: true)
        let fields = reader.next() ?? []
        guard let columns else {
            let names = fields.map { $0.lowercased() }
            let missing = Self.requiredColumns.filter { !names.contains($0) }
            guard missing.isEmpty else {
                throw Problem.invalidField(
                    "header", "must name the columns \(Self.requiredColumns.joined(separator: ", ")) (and ct if known); missing: \(missing.joined(separator: ", "))")
            }
            self.columns = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return
        }
        answer.rows += 1
        func field(_ name: String) -> String? { columns[name].flatMap { $0 < fields.count ? fields[$0] : nil } }
        let tube = field("tube") ?? ""
        do {
            let word = field("result") ?? ""
            let result = Self.resultWords[word.lowercased()]?.rawValue ?? word
            var ct: Double?
            if let text = field("ct"), !text.isEmpty {
                guard let value = Double(text), value.isFinite else { throw Problem.invalidField("ct", "must be a number, not '\(text.prefix(16))'") }
                ct = value
            }
            let posted = try LabWebhookController.checkedResult(tube: tube, result: result, testedAt: field("tested_at") ?? "", ct: ct, at: "")
            batch.append((record.line, posted))
        } catch let problem as Problem {
            refuse(line: record.line, tube: tube.isEmpty ? nil : tube, code: problem.code, problem.detail)
        }
        if batch.count >= Self.batchSize { try await flush() }
    }

    /// Applies the rows waiting; a row whose `tested_at` cannot be true is
    /// refused alone, as an HL7 ERR would be.
    mutating func flush() async throws {
        guard !batch.isEmpty else { return }
        try await send(batch)
        batch = []
    }

    /// One delivery of rows, and what became of each.
    private mutating func send(_ rows: [(line: Int, result: PostedResult)]) async throws {
        let (body, _) = try await store.receiveLabDelivery(
            lab: lab, webhookID: "csv_\(UUID().uuidString.lowercased())", event: .tubeResults(rows.map(\.result)), whole: false,
            timesRefuseDelivery: false
        ) { try WireFormat.encoder().encode($0) }
        let delivered = try APIDecoder.decode(LabDeliveryAnswer.self, from: body)
        for (row, fate) in zip(rows, delivered.results ?? []) {
            answer.counts[fate.fate.rawValue, default: 0] += 1
            if fate.fate != .applied && fate.fate != .duplicate {
                refuse(line: row.line, tube: row.result.tube, code: fate.fate.rawValue, fate.fate.explanation, counted: false)
            }
        }
    }

    /// The end of the file: the last rows, and a file with no header at all.
    mutating func finish() async throws -> Answer {
        guard columns != nil else {
            throw Problem.invalidField("header", "is missing: the first line must name the columns \(Self.requiredColumns.joined(separator: ", "))")
        }
        try await flush()
        answer.refusals.sort { $0.line < $1.line }
        return answer
    }

    private mutating func refuse(line: Int, tube: String?, code: String, _ why: String, counted: Bool = true) {
        answer.refused += 1
        if counted { answer.counts["refused", default: 0] += 1 }
        guard answer.refusals.count < Self.refusalsListed else { return }
        answer.refusals.append(Refusal(line: line, tube: tube, code: code, detail: why))
    }
}
