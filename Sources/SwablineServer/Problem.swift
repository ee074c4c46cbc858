import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// An error answered as `application/problem+json` (RFC 9457) with a stable
/// `code` that clients and pages can act on.
public struct Problem: HTTPResponseError, Sendable {
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var why: String
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var detail: String
    public var errors: [FieldError]?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, detail: String, errors: [FieldError]? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
    }

    struct Body: Codable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var errors: [FieldError]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: "urn:swabline:problem:\(code)", title: status.reasonPhrase, status: status.code, detail: detail,
            code: code, errors: errors)
        let data = try WireFormat.encoder().encode(body)
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem {
    /// The problem a store refusal is answered with.
    init(_ error: StoreError) {
        switch error {
        case .notFound: self.init(.notFound, code: error.code, detail: error.message)
        case .forbidden: self.init(.forbidden, code: error.code, detail: error.message)
        case let .invalid(field, why):
            self.init(.unprocessableContent, code: error.code, detail: error.message, errors: [.init(field: field, why: why)])
        case .rule(.modeNotAllowed), .rule(.testedAtOutOfRange): self.init(.unprocessableContent, code: error.code, detail: error.message)
        case .rule, .conflict: self.init(.conflict, code: error.code, detail: error.message)
        case .unavailable:
            self.init(.serviceUnavailable, code: error.code, detail: error.message)
            headers[.retryAfter] = "2"
        }
    }

    static func invalidBody(_ detail: String) -> Problem {
        Problem(.badRequest, code: "invalid_body", detail: detail)
    }

    static func invalidField(_ field: String, _ why: String) -> Problem {
        Problem(.unprocessableContent, code: "invalid_field", detail: "\(field) \(why).", errors: [.init(field: field, why: why)])
    }

    static let unauthorized: Problem = {
        var problem = Problem(
            .unauthorized, code: "unauthorized", detail: "Send a valid token as 'Authorization: Bearer <token>' (swabline tokens create).")
        problem.headers[.wwwAuthenticate] = "Bearer"
        return problem
    }()
}

extension Problem {
    /// The problem an error stands for, when it is one a page can show.
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: problem
        case let error as StoreError: Problem(error)
        case let error as HTTPError: Problem(error.status, code: error.status == .notFound ? "not_found" : "http_\(error.status.code)",
            detail: error.body ?? error.status.reasonPhrase)
        default: nil
        }
    }
}
