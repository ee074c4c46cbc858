import Foundation
import LibFuzzerDriver
import SwablineCore
@testable import SwablineServer

/// A posted page form (`application/x-www-form-urlencoded`, up to 16 KB):
/// any bytes, read as the pages read them (UTF-8 with bad sequences
/// repaired), give fields, never a crash; the fields a page reads are
/// trimmed; the gate's walk-in and the courier's numbers are read as the
/// pages read them; and encoding the fields again reads back the same.
@main enum FuzzPageForm {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzPageForm))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPageForm(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let encoded = String(decoding: UnsafeBufferPointer(start: data, count: min(size, PageForm.maxSize)), as: UTF8.self)
    let form = PageForm(encoded: encoded)

    for name in form.fields.keys {
        let value = form[name]
        guard value == value.trimmingCharacters(in: .whitespacesAndNewlines), form.checked(name),
            (form.optional(name) == nil) == value.isEmpty
        else { fatalError("field \(name.debugDescription) reads as \(value.debugDescription)") }
    }

    // The gate (GatePage.checkIn) and the courier (CourierPage.act).
    let checkIn = QueueController.CheckInRequest(
        residentCode: form["resident_code"], priority: form.checked("priority"), name: form.optional("name"),
        idNumber: form.optional("id_number"), phone: form.optional("phone"), building: form.optional("building"),
        unit: form.optional("unit"), room: form.optional("room"), singleTube: form.checked("single_tube"))
    do {
        _ = try checkIn.walkIn()
    } catch let problem as Problem {
        guard problem.status.code == 422 else { fatalError("walk-in answered \(problem)") }
    } catch {
        fatalError("walk-in threw \(error)")
    }
    _ = Int(form["tube_count"])
    _ = Double(form["temperature_c"].replacingOccurrences(of: ",", with: "."))

    // What a browser sends for these fields reads back as the same fields.
    let again = PageForm(encoded: form.fields.map { "\(encode($0.key))=\(encode($0.value))" }.joined(separator: "&"))
    guard again.fields == form.fields else {
        fatalError("fields \(form.fields) read back as \(again.fields)")
    }
    return 0
}

/// Percent-encodes as a browser does for a form: every byte but ASCII
/// letters, digits and `*-._` (with `%20` for a space rather than `+`).
func encode(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: browserSafe) ?? ""
}

let browserSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")
