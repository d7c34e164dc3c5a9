// AWS event stream headers in the JSON envelope (Docs/Formats.md, "aws-eventstream"): an array
// of {"name","type","value"} objects in wire order, so that a message goes through the envelope
// and back byte for byte.
//
//   type        value in JSON
//   bool        true or false
//   byte, short, int, long, timestamp   an integer (timestamp: milliseconds since the epoch)
//   bytes       a Base64 string (RFC 4648, padded)
//   string      a string
//   uuid        "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lowercase hex)

extension EventStreamHeader {
    /// Appends `headers` as the envelope's JSON array.
    static func appendJSON(_ headers: [EventStreamHeader], to out: inout [UInt8]) {
        out.append(0x5B)
        for (k, header) in headers.enumerated() {
            if k > 0 { out.append(0x2C) }
            out.append(contentsOf: #"{"name":"#.utf8)
            JSONString.append(header.name.utf8, to: &out)
            out.append(contentsOf: #","type":""#.utf8)
            out.append(contentsOf: header.value.typeName.utf8)
            out.append(contentsOf: #"","value":"#.utf8)
            switch header.value {
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .byte(let v): out.append(contentsOf: String(v).utf8)
            case .short(let v): out.append(contentsOf: String(v).utf8)
            case .int(let v): out.append(contentsOf: String(v).utf8)
            case .long(let v), .timestamp(let v): out.append(contentsOf: String(v).utf8)
            case .bytes(let b):
                out.append(0x22)
                Base64.encode(b, into: &out)
                out.append(0x22)
            case .string(let s): JSONString.append(s.utf8, to: &out)
            case .uuid(let u):
                out.append(0x22)
                out.append(contentsOf: uuidText(u).utf8)
                out.append(0x22)
            }
            out.append(0x7D)
        }
        out.append(0x5D)
    }

    /// `01020304-0506-0708-090a-0b0c0d0e0f10`.
    static func uuidText(_ u: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var s: [UInt8] = []
        for (k, byte) in u.enumerated() {
            if k == 4 || k == 6 || k == 8 || k == 10 { s.append(0x2D) }
            s.append(hex[Int(byte >> 4)])
            s.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: s, as: UTF8.self)
    }

    /// The sixteen bytes of a uuid in the text form above (either case), or nil.
    static func uuidBytes(_ text: [UInt8]) -> [UInt8]? {
        guard text.count == 36 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < 36 {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard text[i] == 0x2D else { return nil }
                i += 1
                continue
            }
            guard let hi = hexValue(text[i]), let lo = hexValue(text[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    /// The headers in the envelope's `"headers"` value (`range` in the minified `text`), or a
    /// message saying what is wrong.
    static func parseJSON(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Result<[EventStreamHeader], EnvelopeHeaderError> {
        func fail(_ message: String) -> Result<[EventStreamHeader], EnvelopeHeaderError> { .failure(EnvelopeHeaderError(message: message)) }
        guard text[range.lowerBound] == 0x5B else { return fail("\"headers\" must be an array of {\"name\",\"type\",\"value\"} objects") }
        var headers: [EventStreamHeader] = []
        var i = range.lowerBound + 1
        if text[i] == 0x5D { return .success(headers) }
        while i < range.upperBound {
            let end = JSONObjectReader.valueEnd(text, from: i)
            let element = UnsafeBufferPointer(rebasing: text[i..<end])
            switch header(element) {
            case .success(let h): headers.append(h)
            case .failure(let e): return fail("header \(headers.count + 1): " + e.message)
            }
            i = end
            if text[i] == 0x5D { break }
            i += 1
        }
        return .success(headers)
    }

    /// Why an envelope's headers cannot be read.
    struct EnvelopeHeaderError: Error {
        var message: String
    }

    private static func header(_ text: UnsafeBufferPointer<UInt8>) -> Result<EventStreamHeader, EnvelopeHeaderError> {
        func fail(_ message: String) -> Result<EventStreamHeader, EnvelopeHeaderError> { .failure(EnvelopeHeaderError(message: message)) }
        guard let members = JSONObjectReader.members(of: text) else {
            return fail("must be an object with \"name\", \"type\" and \"value\"")
        }
        var name: String?
        var type: String?
        var value: Range<Int>?
        for member in members {
            let key = member.key.map { String(decoding: $0, as: UTF8.self) } ?? ""
            func string() -> String? {
                guard text[member.value.lowerBound] == 0x22, let s = try? JSONString.decode(text, member.value) else { return nil }
                return String(decoding: s, as: UTF8.self)
            }
            switch key {
            case "name" where name == nil:
                guard let s = string() else { return fail("\"name\" must be a string") }
                name = s
            case "type" where type == nil:
                guard let s = string() else { return fail("\"type\" must be a string") }
                type = s
            case "value" where value == nil: value = member.value
            default: return fail("unexpected or repeated key \(key.debugDescription) (allowed: name, type, value)")
            }
        }
        guard let name, let type, let value else { return fail("needs \"name\", \"type\" and \"value\"") }
        let raw = Array(text[value])
        func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
            T(String(decoding: raw, as: UTF8.self))
        }
        func string() -> [UInt8]? {
            guard raw.first == 0x22 else { return nil }
            return try? JSONString.decode(text, value)
        }
        let typed: EventStreamHeader.Value?
        switch type {
        case "bool": typed = raw == Array("true".utf8) ? .bool(true) : raw == Array("false".utf8) ? .bool(false) : nil
        case "byte": typed = integer(Int8.self).map { .byte($0) }
        case "short": typed = integer(Int16.self).map { .short($0) }
        case "int": typed = integer(Int32.self).map { .int($0) }
        case "long": typed = integer(Int64.self).map { .long($0) }
        case "timestamp": typed = integer(Int64.self).map { .timestamp($0) }
        case "bytes": typed = string().flatMap { Base64.decode($0) }.map { .bytes($0) }
        case "string": typed = string().map { .string(String(decoding: $0, as: UTF8.self)) }
        case "uuid": typed = string().flatMap { uuidBytes($0) }.map { .uuid($0) }
        default:
            return fail("unknown type \(type.debugDescription) (known: bool, byte, short, int, long, bytes, string, timestamp, uuid)")
        }
        guard let typed else {
            let expected =
                [
                    "bool": "true or false", "bytes": "a Base64 string", "string": "a string",
                    "uuid": "a string like 01020304-0506-0708-090a-0b0c0d0e0f10",
                ][type] ?? "an integer in the \(type) range"
            return fail("the value of \(name.debugDescription) must be \(expected) for type \(type)")
        }
        let header = EventStreamHeader(name, typed)
        if let problem = header.wireProblem() { return fail(problem) }
        return .success(header)
    }
}
