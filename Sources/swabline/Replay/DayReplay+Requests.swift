import Foundation
import NIOHTTP1
import SwablineStore

/// The requests a replay sends, and the bodies it sends and reads.
extension DayReplay {
    func staff<Body: Encodable>(_ method: HTTPMethod, _ path: String, _ body: Body?) async throws -> APIAnswer {
        try await send(method, path, credentials.staff, body)
    }

    func send<Body: Encodable>(_ method: HTTPMethod, _ path: String, _ token: String, _ body: Body?) async throws -> APIAnswer {
        try await client.send(method, path, token: token, body: body.map(ReplayClient.json))
    }

    mutating func lab<T: Encodable>(_ delivery: T) async throws -> APIAnswer {
        deliveries += 1
        return try await client.webhook(
            lab: script.lab, secret: credentials.labSecret, id: names.delivery(deliveries), delivery)
    }

    static func now() -> String { Timestamp.string(Date()) }

    struct Empty: Encodable {}
    struct CheckIn: Encodable {
        var residentCode: String
        var walkIn: ReplayNames.WalkInFields?

        func encode(to encoder: any Encoder) throws {
            try walkIn?.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(residentCode, forKey: .residentCode)
        }
        private enum Key: String, CodingKey { case residentCode }
    }
    struct OpenTube: Encodable { var tube, station, mode: String }
    struct Resident: Encodable { var residentCode: String }
    struct Box: Encodable { var box: String }
    struct Tube: Encodable { var tube: String }
    struct Pickup: Encodable {
        var tubeCount: Int
        var temperatureC: Double
    }
    struct Delivery<Data: Encodable>: Encodable {
        var type: String
        var timestamp: String
        var data: Data
    }
    struct BoxReceived: Encodable {
        var box: String
        var tubeCount: Int
    }
    struct Results: Encodable {
        struct Item: Encodable { var tube, result, testedAt: String }
        var results: [Item]
    }
    struct CallAnswer: Decodable {
        struct Person: Decodable { var residentCode: String }
        var called: [Person]
    }
    struct ResultsAnswer: Decodable {
        struct Item: Decodable { var fate: String }
        var results: [Item]
    }
}
