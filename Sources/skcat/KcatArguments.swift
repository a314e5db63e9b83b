/// The command line in kcat's style, parsed by hand.
///
/// kcat takes single-dash, single-letter options in getopt's manner: a flag
/// (`-P`), an option with its value in the next word (`-t topic`) or glued to it
/// (`-ttopic`), and flags bunched together (`-Pq`). ArgumentParser parses
/// GNU-style long options instead, so this small parser keeps kcat's habits;
/// ArgumentParser handles the `msk-token` subcommand, which kcat lacks.
struct KcatArguments: Sendable {
    enum Mode: Sendable { case produce, consume, metadata, query }

    var mode: Mode?
    var brokers: String?
    var topic: String?
    var partition: Int32?
    var keyDelimiter: String?
    var delimiter = "\n"
    var headers: [(name: String, value: String)] = []
    var compression: String?
    var offset: String?
    var count: Int?
    var exitAtEnd = false
    var group: String?
    var groupTopics: [String] = []
    var format: String?
    var json = false
    var properties: [(key: String, value: String)] = []
    /// `-X list` (print the properties taken) or `-X dump` (print those given), as kcat's.
    var propertyCommand: PropertyCommand?
    enum PropertyCommand: Sendable { case list, dump }
    var quiet = false
    var verbose = false
    var lineMode = false
    var files: [String] = []
    /// `-t topic:partition:timestamp` items for `-Q`.
    var queries: [String] = []

    /// Options that take a value, and flags; anything else is a usage error.
    private static let valued: Set<Character> = ["b", "t", "p", "K", "D", "H", "z", "o", "c", "G", "f", "X", "s", "k"]
    private static let flags: Set<Character> = ["P", "C", "L", "Q", "e", "J", "q", "v", "l", "E", "h", "V"]

    var help = false
    var version = false

    static func parse(_ words: [String]) throws(UsageError) -> KcatArguments {
        var result = KcatArguments()
        var positional: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            guard word.hasPrefix("-"), word.count > 1 else {
                positional.append(word)
                continue
            }
            if word == "--" {
                positional.append(contentsOf: words[index...])
                break
            }
            var letters = Substring(word.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                if flags.contains(letter) {
                    try result.apply(flag: letter)
                    continue
                }
                guard valued.contains(letter) else { throw UsageError("unknown option -\(letter)") }
                let value: String
                if !letters.isEmpty {
                    value = String(letters)
                    letters = ""
                } else if index < words.count {
                    value = words[index]
                    index += 1
                } else {
                    throw UsageError("option -\(letter) needs a value")
                }
                try result.apply(option: letter, value: value)
            }
        }
        if result.group != nil {
            result.groupTopics = positional
        } else {
            result.files = positional
        }
        try result.validate()
        return result
    }

    private mutating func setMode(_ newMode: Mode) throws(UsageError) {
        if let mode, mode != newMode { throw UsageError("only one of -P, -C, -L, -Q may be given") }
        mode = newMode
    }

    private mutating func apply(flag: Character) throws(UsageError) {
        switch flag {
        case "P": try setMode(.produce)
        case "C": try setMode(.consume)
        case "L": try setMode(.metadata)
        case "Q": try setMode(.query)
        case "e": exitAtEnd = true
        case "J": json = true
        case "q": quiet = true
        case "v": verbose = true
        case "l": lineMode = true
        case "E": break  // kcat: do not exit on non-fatal errors; errors here are always reported
        case "h": help = true
        case "V": version = true
        default: throw UsageError("unknown option -\(flag)")
        }
    }

    private mutating func apply(option: Character, value: String) throws(UsageError) {
        switch option {
        case "b": brokers = value
        case "t":
            if topic == nil { topic = value }
            queries.append(value)
        case "p":
            guard let number = Int32(value), number >= 0 else { throw UsageError("-p needs a partition number, not \"\(value)\"") }
            partition = number
        case "K": keyDelimiter = Self.unescape(value)
        case "D": delimiter = Self.unescape(value)
        case "H":
            guard let equals = value.firstIndex(of: "=") else { throw UsageError("-H needs name=value, not \"\(value)\"") }
            headers.append((String(value[..<equals]), String(value[value.index(after: equals)...])))
        case "z": compression = value
        case "o": offset = value
        case "c":
            guard let number = Int(value), number >= 0 else { throw UsageError("-c needs a count, not \"\(value)\"") }
            count = number
        case "G":
            group = value
            try setMode(.consume)
        case "f": format = value
        case "X":
            if value == "list" || value == "dump" {
                propertyCommand = value == "list" ? .list : .dump
                return
            }
            guard let equals = value.firstIndex(of: "=") else { throw UsageError("-X needs key=value, not \"\(value)\"") }
            let key = String(value[..<equals])
            // librdkafka's debug contexts have no counterpart; skcat's debug log (-v) is the nearest.
            if key == "debug" {
                verbose = true
                return
            }
            properties.append((key, String(value[value.index(after: equals)...])))
        case "s", "k":
            // kcat's serdes options (-s value=avro...) are not supported.
            throw UsageError("-\(option) (serdes) is not supported")
        default:
            throw UsageError("unknown option -\(option)")
        }
    }

    private func validate() throws(UsageError) {
        if help || version || propertyCommand != nil { return }
        guard let mode else { throw UsageError("one of -P, -C, -L or -Q is required") }
        switch mode {
        case .produce:
            guard topic != nil else { throw UsageError("-P needs a topic (-t)") }
        case .consume:
            if group != nil {
                guard !groupTopics.isEmpty else { throw UsageError("-G needs one or more topics after the group") }
            } else {
                guard topic != nil else { throw UsageError("-C needs a topic (-t)") }
            }
            if let offset { _ = try ConsumeStart(parsing: offset) }
        case .metadata:
            break
        case .query:
            guard !queries.isEmpty else { throw UsageError("-Q needs -t topic:partition:timestamp") }
            for query in queries { _ = try OffsetQuery(parsing: query) }
        }
    }

    /// `\n`, `\r`, `\t`, `\\` and `\0` in delimiters and formats, as kcat reads them.
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "0": out.append("\0")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}

/// A mistake on the command line: exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where `-o` starts consuming.
enum ConsumeStart: Sendable, Equatable {
    case beginning, end, stored
    case offset(Int64)
    /// N records before the end.
    case fromEnd(Int64)
    case timestamp(Int64)

    init(parsing text: String) throws(UsageError) {
        switch text {
        case "beginning": self = .beginning
        case "end": self = .end
        case "stored": self = .stored
        default:
            if text.hasPrefix("s@"), let milliseconds = Int64(text.dropFirst(2)), milliseconds >= 0 {
                self = .timestamp(milliseconds)
            } else if text.hasPrefix("-"), let back = Int64(text.dropFirst()), back >= 0 {
                self = .fromEnd(back)
            } else if let offset = Int64(text), offset >= 0 {
                self = .offset(offset)
            } else {
                throw UsageError("-o needs beginning, end, stored, N, -N or s@timestamp, not \"\(text)\"")
            }
        }
    }
}

/// One `-Q` item: `topic:partition:timestamp`.
struct OffsetQuery: Sendable {
    var topic: String
    var partition: Int32
    var timestamp: Int64

    init(parsing text: String) throws(UsageError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let partition = Int32(parts[parts.count - 2]), let timestamp = Int64(parts[parts.count - 1]) else {
            throw UsageError("-Q needs -t topic:partition:timestamp, not \"\(text)\"")
        }
        topic = parts[..<(parts.count - 2)].joined(separator: ":")
        self.partition = partition
        self.timestamp = timestamp
    }
}
