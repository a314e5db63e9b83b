import KafkaClient
import KafkaWire

/// Renders consumed records as kcat does: a `-f` format string, the `-J` JSON
/// envelope, or the default (key, `-K` delimiter, payload, `-D` delimiter).
struct MessageFormatter {
    enum Piece {
        case literal([UInt8])
        case topic, partition, offset, key, payload, keyLength, payloadLength, payloadLengthBinary, headers, timestamp
    }

    private var pieces: [Piece] = []
    private let json: Bool

    init(arguments: KcatArguments) throws(UsageError) {
        json = arguments.json
        if let format = arguments.format {
            pieces = try Self.compile(format)
        } else if let keyDelimiter = arguments.keyDelimiter {
            pieces = [.key, .literal(Array(keyDelimiter.utf8)), .payload, .literal(Array(arguments.delimiter.utf8))]
        } else {
            pieces = [.payload, .literal(Array(arguments.delimiter.utf8))]
        }
    }

    /// kcat's tokens: %t %p %o %k %K %s %S %R %h %T and %%; `\n` `\r` `\t` escapes.
    static func compile(_ format: String) throws(UsageError) -> [Piece] {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        let text = Array(KcatArguments.unescape(format))
        var index = 0
        func closeLiteral() {
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
        }
        while index < text.count {
            let character = text[index]
            index += 1
            guard character == "%" else {
                literal.append(contentsOf: String(character).utf8)
                continue
            }
            guard index < text.count else { throw UsageError("-f format ends in a lone %") }
            let token = text[index]
            index += 1
            let piece: Piece
            switch token {
            case "%": literal.append(UInt8(ascii: "%")); continue
            case "t": piece = .topic
            case "p": piece = .partition
            case "o": piece = .offset
            case "k": piece = .key
            case "K": piece = .keyLength
            case "s": piece = .payload
            case "S": piece = .payloadLength
            case "R": piece = .payloadLengthBinary
            case "h": piece = .headers
            case "T": piece = .timestamp
            default: throw UsageError("-f: unsupported token %\(token)")
            }
            closeLiteral()
            pieces.append(piece)
        }
        closeLiteral()
        return pieces
    }

    /// Writes `message`; `broker` is the node id of its partition's leader (-1 when unknown).
    func write(_ message: KafkaConsumerMessage, broker: Int32, to out: OutputStream) {
        if json {
            out.write(Self.json(message, broker: broker))
            out.write(UInt8(ascii: "\n").bytes)
            return
        }
        for piece in pieces {
            switch piece {
            case .literal(let bytes): out.write(bytes)
            case .topic: out.write(message.topic)
            case .partition: out.write(String(message.partition))
            case .offset: out.write(String(message.offset))
            case .key: if let key = message.key { out.write(key) }
            case .payload: if let value = message.value { out.write(value) }
            case .keyLength: out.write(String(message.key?.count ?? -1))
            case .payloadLength: out.write(String(message.value?.count ?? -1))
            case .payloadLengthBinary:
                let length = Int32(message.value?.count ?? -1)
                out.write(withUnsafeBytes(of: length.bigEndian) { Array($0) })
            case .headers:
                var first = true
                for header in message.headers {
                    if !first { out.write(",") }
                    first = false
                    out.write(header.key)
                    out.write("=")
                    if let value = header.value { out.write(value) }
                }
            case .timestamp: out.write(String(message.timestamp))
            }
        }
    }

    /// kcat's envelope: topic, partition, offset, tstype, ts, broker, headers
    /// (only when the record has some: a flat name, value, name, value array),
    /// key and payload (strings, or null when absent).
    static func json(_ message: KafkaConsumerMessage, broker: Int32) -> String {
        var out = "{\"topic\":"
        JSONText.appendString(message.topic, to: &out)
        out += ",\"partition\":\(message.partition),\"offset\":\(message.offset)"
        let tstype = switch message.timestampType {
        case .createTime: "create"
        case .logAppendTime: "logappend"
        }
        out += ",\"tstype\":\"\(message.timestamp < 0 ? "unknown" : tstype)\",\"ts\":\(message.timestamp),\"broker\":\(broker)"
        if !message.headers.isEmpty {
            out += ",\"headers\":["
            for (index, header) in message.headers.enumerated() {
                if index > 0 { out += "," }
                JSONText.appendString(header.key, to: &out)
                out += ","
                JSONText.appendBytes(header.value, to: &out)
            }
            out += "]"
        }
        out += ",\"key\":"
        JSONText.appendBytes(message.key, to: &out)
        out += ",\"payload\":"
        JSONText.appendBytes(message.value, to: &out)
        out += "}"
        return out
    }
}

extension UInt8 {
    var bytes: [UInt8] { [self] }
}

/// Minimal JSON text building: strings escaped per RFC 8259.
enum JSONText {
    static func appendString(_ text: String, to out: inout String) {
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// Bytes as a UTF-8 string (invalid sequences replaced), or null.
    static func appendBytes(_ bytes: ArraySlice<UInt8>?, to out: inout String) {
        guard let bytes else { out.append("null"); return }
        appendString(String(decoding: bytes, as: UTF8.self), to: &out)
    }
}
