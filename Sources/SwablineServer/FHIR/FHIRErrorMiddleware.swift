import Foundation
import Hummingbird

/// FHIR clients read refusals as an `OperationOutcome`, not problem+json:
/// every error under `/fhir/r4` is turned into one with the same status,
/// Swabline's stable code in `details` and the fields at fault in `expression`.
struct FHIRErrorMiddleware: RouterMiddleware {
    typealias Context = AppContext

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            guard let problem = Problem.from(error) else {
                context.logger.error("unexpected error on a FHIR route", metadata: ["type": "\(type(of: error))"])
                return Self.response(Problem(.internalServerError, code: "internal_error", detail: "Something went wrong on our side; nothing was changed."))
            }
            return Self.response(problem)
        }
    }

    static func response(_ problem: Problem) -> Response {
        let code: String = switch problem.status.code {
        case 401: "login"
        case 403: "forbidden"
        case 404: "not-found"
        case 409: "conflict"
        case 429: "throttled"
        case 500...: "exception"
        default: "invalid"
        }
        let outcome = FHIROperationOutcome(issue: [
            .init(
                severity: "error", code: code, details: FHIRCodeableConcept(coding: [FHIRCoding(system: FHIRSystem.problem, code: problem.code)]),
                diagnostics: problem.detail, expression: problem.errors?.map(\.field))
        ])
        var headers = problem.headers
        headers[.contentType] = fhirMediaType
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: FHIRJSON.encode(outcome))))
    }
}

/// FHIR's JSON: its own camelCase names, no nulls, keys sorted so the same answer is the same bytes.
enum FHIRJSON {
    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: fhirMediaType], body: .init(byteBuffer: ByteBuffer(bytes: encode(value))))
    }
}
