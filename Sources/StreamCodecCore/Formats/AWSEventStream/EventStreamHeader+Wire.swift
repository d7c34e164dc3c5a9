// AWS event stream encoding: headers on the wire (the table is in EventStreamHeader.swift).

extension EventStreamHeader {
    /// Why a headers block does not parse, and where (an offset in the block).
    struct WireError: Error {
        var offset: Int
        var message: String
    }

    /// Parses a whole headers block.
    static func parse(_ block: UnsafeRawBufferPointer) throws(WireError) -> [EventStreamHeader] {
        var headers: [EventStreamHeader] = []
        var i = 0
        let n = block.count
        func need(_ count: Int, _ what: String, at start: Int) throws(WireError) {
            if n - i < count {
                throw WireError(offset: start, message: "\(what) needs \(count) bytes but the headers block has \(n - i) left")
            }
        }
        func integer(_ size: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<size { v = v << 8 | UInt64(block[i + k]) }
            i += size
            return v
        }
        while i < n {
            let start = i
            let nameLength = Int(block[i])
            i += 1
            if nameLength == 0 { throw WireError(offset: start, message: "a header name is empty (its length byte is 0)") }
            try need(nameLength, "the header name", at: start)
            let nameBytes = UnsafeRawBufferPointer(rebasing: block[i..<i + nameLength])
            guard let name = Self.utf8(nameBytes) else { throw WireError(offset: i, message: "a header name is not UTF-8") }
            i += nameLength
            try need(1, "the type of header \(name.debugDescription)", at: start)
            let typeOffset = i
            let type = block[i]
            i += 1
            let value: Value
            switch type {
            case 0: value = .bool(true)
            case 1: value = .bool(false)
            case 2:
                try need(1, "the byte value of header \(name.debugDescription)", at: start)
                value = .byte(Int8(bitPattern: UInt8(integer(1))))
            case 3:
                try need(2, "the short value of header \(name.debugDescription)", at: start)
                value = .short(Int16(bitPattern: UInt16(integer(2))))
            case 4:
                try need(4, "the int value of header \(name.debugDescription)", at: start)
                value = .int(Int32(bitPattern: UInt32(integer(4))))
            case 5:
                try need(8, "the long value of header \(name.debugDescription)", at: start)
                value = .long(Int64(bitPattern: integer(8)))
            case 8:
                try need(8, "the timestamp value of header \(name.debugDescription)", at: start)
                value = .timestamp(Int64(bitPattern: integer(8)))
            case 9:
                try need(16, "the uuid value of header \(name.debugDescription)", at: start)
                value = .uuid(Array(block[i..<i + 16]))
                i += 16
            case 6, 7:
                let kind = type == 6 ? "bytes" : "string"
                try need(2, "the length of \(kind) header \(name.debugDescription)", at: start)
                let length = Int(integer(2))
                try need(length, "the \(length)-byte value of \(kind) header \(name.debugDescription)", at: start)
                let bytes = UnsafeRawBufferPointer(rebasing: block[i..<i + length])
                if type == 6 {
                    value = .bytes(Array(bytes))
                } else {
                    guard let s = Self.utf8(bytes) else {
                        throw WireError(offset: i, message: "the value of string header \(name.debugDescription) is not UTF-8")
                    }
                    value = .string(s)
                }
                i += length
            default:
                throw WireError(
                    offset: typeOffset, message: "header \(name.debugDescription) has the unknown value type \(type) (known: 0 to 9)")
            }
            headers.append(EventStreamHeader(name, value))
        }
        return headers
    }

    private static func utf8(_ bytes: UnsafeRawBufferPointer) -> String? {
        let array = Array(bytes)
        guard UTF8Check.isValidText(array) else { return nil }
        return String(decoding: array, as: UTF8.self)
    }

    /// Why a header cannot be written (a name or value too long for its length field).
    func wireProblem() -> String? {
        let nameCount = name.utf8.count
        if nameCount == 0 || nameCount > 255 { return "header name \(name.debugDescription) is \(nameCount) bytes (1 to 255 allowed)" }
        switch value {
        case .bytes(let b) where b.count > 0xFFFF: return "bytes header \(name.debugDescription) holds \(b.count) bytes (at most 65535)"
        case .string(let s) where s.utf8.count > 0xFFFF:
            return "string header \(name.debugDescription) holds \(s.utf8.count) bytes (at most 65535)"
        case .uuid(let u) where u.count != 16: return "uuid header \(name.debugDescription) holds \(u.count) bytes (exactly 16)"
        default: return nil
        }
    }

    /// Appends the header's wire bytes (``wireProblem()`` must be nil).
    func append(to out: inout [UInt8]) {
        func integer(_ v: UInt64, _ size: Int) {
            for k in stride(from: size - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
        }
        out.append(UInt8(name.utf8.count))
        out.append(contentsOf: name.utf8)
        out.append(value.typeCode)
        switch value {
        case .bool: break
        case .byte(let v): integer(UInt64(UInt8(bitPattern: v)), 1)
        case .short(let v): integer(UInt64(UInt16(bitPattern: v)), 2)
        case .int(let v): integer(UInt64(UInt32(bitPattern: v)), 4)
        case .long(let v), .timestamp(let v): integer(UInt64(bitPattern: v), 8)
        case .bytes(let b):
            integer(UInt64(b.count), 2)
            out.append(contentsOf: b)
        case .string(let s):
            integer(UInt64(s.utf8.count), 2)
            out.append(contentsOf: s.utf8)
        case .uuid(let u): out.append(contentsOf: u)
        }
    }
}
