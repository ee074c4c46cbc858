import Foundation

/// JSON as Swabline sends it: snake_case keys, sorted, slashes unescaped.
///
/// One definition for two users: the server encodes every answer with it,
/// and the store encodes what it keeps to send again byte for byte (a lab
/// delivery's answer, a callback's body). It lives in the core, the one
/// module both import, so the store does not own the HTTP layer's encoder
/// and the two can never drift apart.
public enum WireFormat {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
