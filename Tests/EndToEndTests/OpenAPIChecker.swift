import Foundation

/// Checks replies against the served OpenAPI document: the operation and
/// status are documented, and the body matches the documented schema (the
/// JSON Schema keywords the document uses: $ref, type, required,
/// properties, additionalProperties, items, enum, oneOf, minimum, maximum).
struct OpenAPIChecker {
    let document: [String: Any]

    init(data: Data) throws {
        document = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The operations the document lists, as "METHOD /path/{param}".
    var operations: Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, item in
            item.keys.filter { ["get", "post", "put", "delete", "patch"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
    }

    /// Problems with one reply; empty when it matches the document.
    func problems(_ reply: Reply) -> [String] {
        let path = reply.path.split(separator: "?").first.map(String.init) ?? reply.path
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        guard let (template, item) = paths.first(where: { Self.matches(template: $0.key, path: path) }) else {
            return ["\(reply.method) \(path) is not documented"]
        }
        guard let operation = item[reply.method.lowercased()] as? [String: Any] else {
            return ["\(reply.method) \(template) is not documented"]
        }
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard var response = (responses[String(reply.status)] ?? responses["default"]) as? [String: Any] else {
            return ["\(reply.method) \(template) does not document status \(reply.status)"]
        }
        if let ref = response["$ref"] as? String { response = resolve(ref) }
        let content = response["content"] as? [String: Any] ?? [:]
        let mediaType = reply.contentType.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = content[mediaType] as? [String: Any] else {
            return ["\(reply.method) \(template) \(reply.status): content type '\(mediaType)' is not documented"]
        }
        guard mediaType.hasSuffix("json"), let schema = media["schema"] else { return [] }
        guard let value = try? JSONSerialization.jsonObject(with: reply.body, options: [.fragmentsAllowed]) else {
            return ["\(reply.method) \(template) \(reply.status): body is not JSON"]
        }
        return check(value, against: schema, at: "\(reply.method) \(template) \(reply.status) $")
    }

    static func matches(template: String, path: String) -> Bool {
        let t = template.split(separator: "/"), p = path.split(separator: "/")
        guard t.count == p.count else { return false }
        return zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    func resolve(_ ref: String) -> [String: Any] {
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    func check(_ value: Any, against schemaAny: Any, at path: String) -> [String] {
        guard var schema = schemaAny as? [String: Any] else { return [] }
        if let ref = schema["$ref"] as? String { schema = resolve(ref) }
        if let options = schema["oneOf"] as? [Any] ?? schema["anyOf"] as? [Any] {
            let matching = options.filter { check(value, against: $0, at: path).isEmpty }
            return matching.isEmpty ? ["\(path): matches none of its oneOf/anyOf schemas"] : []
        }
        var problems: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            guard types.contains(where: { Self.isType(value, $0) }) else {
                return ["\(path): expected \(types.joined(separator: "|")), got \(type(of: value))"]
            }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): '\(value)' is not one of \(allowed)")
        }
        if let number = value as? NSNumber, !(value is Bool) {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { problems.append("\(path): below minimum") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { problems.append("\(path): above maximum") }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path).\(name): required but missing")
            }
            for (name, field) in object {
                if let property = properties[name] {
                    problems += check(field, against: property, at: "\(path).\(name)")
                } else if let extra = schema["additionalProperties"] {
                    if let allowed = extra as? Bool, !allowed { problems.append("\(path).\(name): not in the schema") }
                    else if !(extra is Bool) { problems += check(field, against: extra, at: "\(path).\(name)") }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, item) in array.enumerated() { problems += check(item, against: items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    static func isType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "null": return value is NSNull
        case "boolean":
            // JSONSerialization gives booleans their own NSNumber subclass.
            return value is NSNumber && "\(Swift.type(of: value))".contains("Boolean")
        case "integer":
            guard let number = value as? NSNumber, !isType(value, "boolean") else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "number":
            return value is NSNumber && !isType(value, "boolean")
        default: return true
        }
    }
}
