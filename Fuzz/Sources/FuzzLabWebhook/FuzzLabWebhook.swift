import Foundation
import LibFuzzerDriver
import SwablineCore
import SwablineStore
@testable import SwablineServer

/// The body of a lab's webhook delivery, after its signature checked out:
/// any bytes are read into one event or refused with a 4xx problem naming
/// the field, never a crash and never a 500; an event read holds only
/// valid codes, known results, RFC 3339 times and Ct values in range.
@main enum FuzzLabWebhook {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzLabWebhook))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabWebhook(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let body = Data(UnsafeBufferPointer(start: data, count: size))
    let event: LabEvent
    do {
        event = try LabWebhookController.event(from: body)
    } catch let problem as Problem {
        guard (400..<500).contains(problem.status.code) else { fatalError("webhook body answered \(problem)") }
        return 0
    } catch {
        fatalError("webhook body threw \(error), which would be a 500")
    }
    switch event {
    case let .boxReceived(box, tubeCount):
        guard Codes.problem(box) == nil, tubeCount >= 0 else { fatalError("webhook accepted \(event)") }
    case let .tubeResults(results):
        guard (1...LabWebhookController.maxResults).contains(results.count) else { fatalError("webhook accepted \(results.count) results") }
        for result in results {
            guard Codes.problem(result.tube) == nil, Timestamp.date(result.testedAt) != nil,
                result.ct.map({ (0...60).contains($0) }) ?? true
            else { fatalError("webhook accepted \(result)") }
        }
    }
    return 0
}
