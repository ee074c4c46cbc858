import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// The request context: Hummingbird's, plus who is asking.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` from the bearer token.
    public var actor: Actor?
    /// The key failed sign-ins from this client are counted under (`ClientAddress`).
    public var clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        actor = nil
        clientAddress = ClientAddress.key(source.channel.remoteAddress)
    }

    /// Lab deliveries carry thousands of results in one request.
    public var maxUploadSize: Int { 8 * 1024 * 1024 }
    public var requestDecoder: APIDecoder { APIDecoder() }
    public var responseEncoder: APIEncoder { APIEncoder() }

    /// The actor, or 401.
    func requireActor() throws -> Actor {
        guard let actor else { throw Problem.unauthorized }
        return actor
    }

    /// A path parameter that must be a valid code.
    func code(_ name: String) throws -> String {
        let value = try parameters.require(name)
        if let why = Codes.problem(value) { throw Problem.invalidField(name, why) }
        return value
    }
}

/// JSON in: snake_case keys, and a problem naming the field when a body
/// does not decode.
public struct APIDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await BodyReading.collect(request, upTo: context.maxUploadSize)
        return try Self.decode(type, from: Data(buffer: buffer))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw Problem.invalidBody(describe(error))
        } catch {
            throw Problem.invalidBody("The body is not valid JSON.")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let parts = keys.map { key in key.intValue.map { "[\($0)]" } ?? snake(key.stringValue) }
            return parts.isEmpty ? "the body" : parts.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])) is missing."
        case let .typeMismatch(_, context): return "\(path(context.codingPath)) has the wrong type."
        case let .valueNotFound(_, context): return "\(path(context.codingPath)) is null."
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "The body is not valid JSON." : "\(path(context.codingPath)) is not a valid value."
        @unknown default: return "The body could not be read."
        }
    }

    static func snake(_ key: String) -> String {
        key.reduce(into: "") { out, char in
            if char.isUppercase { out += "_" + char.lowercased() } else { out.append(char) }
        }
    }
}

/// JSON out: snake_case keys, RFC 3339 strings already in the values.
public struct APIEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try WireFormat.encoder().encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
