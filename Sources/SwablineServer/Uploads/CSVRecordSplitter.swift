/// Cuts a CSV upload into records as its bytes arrive, so any number of
/// rows can be read with memory for one record at a time. A record ends at
/// a line break outside quotes (a quoted field may hold one); each record
/// keeps the line it starts on, for the refusal a person reads. CSV.swift
/// then reads the fields of each record.
struct CSVRecordSplitter {
    struct Record: Equatable {
        /// 1-based line of the file where the record starts.
        var line: Int
        /// The record's bytes, without its line break; nil when it was longer than the limit.
        var bytes: [UInt8]?
    }

    /// The longest record kept; a longer one is reported as too long, and skipped.
    let limit: Int
    private var current: [UInt8] = []
    private var quoted = false
    private var tooLong = false
    private var line = 1
    private var start = 1

    init(limit: Int) { self.limit = limit }

    /// The records completed by `bytes`.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Record] {
        var done: [Record] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: "\n") {
                line += 1
                // A record past the limit ends at the next line break even inside quotes: one stray
                // `"` must not swallow the rest of the file into one refused record.
                if !quoted || tooLong {
                    done.append(finish())
                    continue
                }
            }
            if current.count < limit { current.append(byte) } else { tooLong = true }
        }
        return done
    }

    /// The last record, when the upload does not end in a line break.
    mutating func end() -> Record? {
        guard !current.isEmpty || tooLong else { return nil }
        return finish()
    }

    private mutating func finish() -> Record {
        if current.last == UInt8(ascii: "\r") { current.removeLast() }
        // A byte-order mark, as Excel writes it, is not part of the first field.
        if start == 1, current.starts(with: [0xEF, 0xBB, 0xBF]) { current.removeFirst(3) }
        let record = Record(line: start, bytes: tooLong ? nil : current)
        current = []
        quoted = false
        tooLong = false
        start = line
        return record
    }
}
