import Foundation
import LibFuzzerDriver
import SwablineCore
import SwablineStore
@testable import SwablineServer

/// The JSON bodies of the `/v1` POST routes. The first byte picks the
/// route, the rest is the body. Any body is decoded or refused with a 400
/// problem naming the field, and then checked as the route checks it
/// (a walk-in needs all its fields, a tube mode must exist), never a crash
/// and never a 500.
@main enum FuzzAPIBodies {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzAPIBodies))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPIBodies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size > 0, let data else { return 0 }
    let body = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    do {
        switch data[0] % 7 {
        case 0:
            let request = try APIDecoder.decode(QueueController.CheckInRequest.self, from: body)
            if let walkIn = try request.walkIn() {
                guard ![walkIn.name, walkIn.idNumber, walkIn.phone, walkIn.building, walkIn.unit, walkIn.room].contains("")
                else { fatalError("walk-in accepted with an empty field: \(walkIn)") }
            }
        case 1:
            let request = try APIDecoder.decode(TubeController.OpenRequest.self, from: body)
            _ = request.mode.flatMap(TubeMode.init(rawValue:))
        case 2: _ = try APIDecoder.decode(TubeController.SampleRequest.self, from: body)
        case 3: _ = try APIDecoder.decode(BoxController.CreateRequest.self, from: body)
        case 4: _ = try APIDecoder.decode(BoxController.AddTubeRequest.self, from: body)
        case 5: _ = try APIDecoder.decode(BoxController.PickupRequest.self, from: body)
        default: _ = try APIDecoder.decode(ReportController.OpenRoundRequest.self, from: body)
        }
    } catch let problem as Problem {
        guard [400, 422].contains(problem.status.code), !problem.detail.isEmpty else { fatalError("body answered \(problem)") }
    } catch {
        fatalError("body threw \(error), which would be a 500")
    }
    return 0
}
