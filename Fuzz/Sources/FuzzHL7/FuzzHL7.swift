import Foundation
import LibFuzzerDriver
import SwablineCore

/// A lab's HL7 v2 message, as any bytes read as UTF-8 (bad sequences
/// repaired, as a socket's bytes are decoded): parsing and reading an
/// ORU^R01 never crash, an accepted message encodes and parses back to the
/// same segments, and the ACK Swabline would answer with parses and
/// echoes the message's control id.
@main enum FuzzHL7 {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzHL7))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHL7(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let sentAt = Date(timeIntervalSince1970: 1_649_126_400)
    let message: HL7Message
    do {
        message = try HL7Message.parse(text)
    } catch {
        let ack = HL7Acknowledgement.rejecting(text, because: error, controlID: "FUZZ", sentAt: sentAt)
        guard let again = try? HL7Message.parse(ack.encoded()), again.value(of: "MSA", 1) == "AR" else {
            fatalError("the rejection of \(text.debugDescription) does not parse: \(ack.encoded().debugDescription)")
        }
        return 0
    }
    let encoded = message.encoded()
    guard let again = try? HL7Message.parse(encoded), again == message else {
        fatalError("\(text.debugDescription) parsed, but its encoding \(encoded.debugDescription) does not parse back the same")
    }
    do {
        let report = try LabResultReport.read(message)
        guard !report.header.controlID.isEmpty, report.header.controlID.count <= 20 else {
            fatalError("read a report with the control id \(report.header.controlID.debugDescription)")
        }
        var tubes: Set<String> = []
        for entry in report.entries {
            if case let .result(tube, _, _, ct, _) = entry {
                guard Codes.problem(tube) == nil, tubes.insert(tube).inserted, ct.map({ (0...60).contains($0) }) ?? true else {
                    fatalError("read \(entry) from \(text.debugDescription)")
                }
            }
        }
        let ack = HL7Acknowledgement.acknowledging(report, controlID: "FUZZ", sentAt: sentAt)
        guard let read = try? HL7Message.parse(ack.encoded()), read.value(of: "MSA", 2) == report.header.controlID,
            read.segments("ERR").count == report.refusals.count
        else { fatalError("the ACK of \(text.debugDescription) is \(ack.encoded().debugDescription)") }
    } catch {
        _ = HL7Acknowledgement.rejecting(text, because: error, controlID: "FUZZ", sentAt: sentAt)
    }
    return 0
}
