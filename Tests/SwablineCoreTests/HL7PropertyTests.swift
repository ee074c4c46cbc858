import Foundation
import PropertyBased
import Testing
@testable import SwablineCore

/// The HL7 codec with any text and any chunking: the short version of
/// what the FuzzHL7 and FuzzMLLP harnesses in `Fuzz/` run for hours.
@Suite("HL7 and MLLP with any text")
struct HL7PropertyTests {
    /// Text near HL7: its delimiters, escapes, line ends, framing bytes,
    /// and the odd characters of `OddText`.
    static let hl7Character = Gen.frequency(
        (3, Gen<Character?>.element(of: Array("|^~\\&\r\nFSTREXHN0A.br#*%")).map { $0! }), (2, OddText.character),
        (1, Gen<Character?>.element(of: ["\u{0B}", "\u{1C}", "\r\n"]).map { $0! }))
    static let hl7Text = hl7Character.string(of: 0...60)

    @Test("escaping then unescaping gives back any value, with any valid delimiters")
    func escapeRoundTrip() async {
        let delimiters = Gen<[Character]?>.element(of: [Array("|^~\\&"), Array("#*!@%"), Array("!$%/#")]).map { $0! }
        await propertyCheck(count: 500, input: Gen.frequency((1, OddText.string), (2, Self.hl7Text)), delimiters) { value, characters in
            let bytes = characters.map { $0.asciiValue! }
            let encoding = HL7Encoding(field: bytes[0], characters: bytes.dropFirst())!
            let escaped = HL7Escaping.escape(value, encoding)
            #expect(HL7Escaping.unescape(Array(escaped.utf8), encoding) == value, "\(value.debugDescription) escaped as \(escaped.debugDescription)")
            let delimiterBytes = Set(bytes.filter { $0 != encoding.escape } + [0x0D, 0x0A, 0x0B, 0x1C])
            #expect(!escaped.utf8.contains(where: delimiterBytes.contains), "\(escaped.debugDescription)")
        }
    }

    @Test("a message of any values encodes and parses back the same")
    func messageRoundTrip() async {
        let field = Self.hl7Text.array(of: 1...3).array(of: 1...3).map { HL7Field(repetitions: $0.map { $0.map { [$0] } }) }
        let segment = zip(Gen<String?>.element(of: ["PID", "OBR", "OBX", "SPM", "NTE", "ZX1"]).map { $0! }, field.array(of: 0...6))
            .map { HL7Segment($0, $1) }
        await propertyCheck(count: 200, input: Self.hl7Text, segment.array(of: 0...6)) { control, segments in
            let message = HL7Message(segments: [HL7Segment.header([10: HL7Field(control)])] + segments)
            let read = try HL7Message.parse(message.encoded())
            #expect(read == message)
        }
    }

    @Test("any text: parse refuses or accepts, never crashes; an accepted message re-encodes to the same segments")
    func parseAnyText() async {
        let nearMessage = zip(Gen<String?>.element(of: ["MSH|^~\\&|", "MSH|^~\\&", "MSH#*!@%#", "MSH|", ""]).map { $0! }, Self.hl7Text.array(of: 0...4))
            .map { head, lines in head + lines.joined(separator: "\r") }
        await propertyCheck(count: 500, input: Gen.frequency((1, OddText.string), (3, nearMessage))) { text in
            guard let message = try? HL7Message.parse(text) else { return }
            #expect(message.segments.first?.id == "MSH")
            #expect((try? HL7Message.parse(message.encoded())) == message, "\(text.debugDescription)")
            if let report = try? LabResultReport.read(message) {
                let ack = HL7Acknowledgement.acknowledging(report, controlID: "P-1", sentAt: Date(timeIntervalSince1970: 0))
                #expect((try? HL7Message.parse(ack.encoded()))?.value(of: "MSA", 2) == report.header.controlID)
            }
        }
    }

    @Test("MLLP: frames fed in any chunking come out as they went in")
    func mllpChunking() async {
        let message = Gen.uint8(in: 0...255).array(of: 0...300).map { $0.filter { $0 != 0x0B && $0 != 0x1C } }
        await propertyCheck(count: 300, input: message.array(of: 0...5), Gen.int(in: 1...40).array(of: 1...20)) { messages, sizes in
            let stream = messages.flatMap(MLLPFramer.frame)
            var framer = MLLPFramer()
            var frames: [[UInt8]] = []
            var start = 0
            var turn = 0
            while start < stream.count {
                let end = min(stream.count, start + sizes[turn % sizes.count])
                frames += try framer.feed(stream[start..<end])
                start = end
                turn += 1
            }
            #expect(frames == messages)
            #expect(framer.isIdle)
        }
    }

    @Test("MLLP: any bytes, whole or in chunks, give the same frames before the same error")
    func mllpAnyBytes() async {
        await propertyCheck(count: 300, input: Gen.uint8(in: 0...255).array(of: 0...200), Gen.int(in: 1...17)) { bytes, size in
            func run(_ chunk: Int) -> ([[UInt8]], MLLPError?) {
                var framer = MLLPFramer(maxFrameSize: 50)
                var frames: [[UInt8]] = []
                var start = 0
                while true {
                    let end = min(bytes.count, start + chunk)
                    do {
                        frames += try framer.feed(bytes[start..<end])
                    } catch {
                        return (frames, error)
                    }
                    if start == bytes.count { return (frames, nil) }
                    start = end
                }
            }
            let whole = run(max(1, bytes.count))
            let chunked = run(size)
            #expect(whole.0 == chunked.0 && whole.1 == chunked.1)
            #expect(whole.0.allSatisfy { $0.count <= 50 && !$0.contains(0x0B) && !$0.contains(0x1C) })
        }
    }
}
