import Foundation

/// The AWS shared `config` and `credentials` files: INI sections of `key = value`.
///
/// In the credentials file a section is the profile name (`[default]`, `[dev]`);
/// in the config file it is `[default]` or `[profile dev]`, and other kinds of
/// section (`[sso-session x]`, `[services x]`) are not profiles. Keys are
/// case-insensitive; `#` and `;` start comments (at the line start, or after
/// whitespace); indented lines continue a property with sub-properties, which
/// no setting read here uses, so they are skipped.
struct AWSConfigFile: Sendable, Hashable {
    enum Kind: Sendable {
        case config
        case credentials
    }

    /// Profile name to its properties (keys lower-cased).
    private(set) var profiles: [String: [String: String]] = [:]

    init(parsing text: String, kind: Kind) {
        var current: String?  // nil: outside a profile section
        var lastKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let isContinuation = rawLine.first == " " || rawLine.first == "\t"
            let line = Self.stripComment(rawLine).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if isContinuation, lastKey != nil { continue }
            if line.hasPrefix("[") {
                lastKey = nil
                current = line.hasSuffix("]") ? Self.profileName(section: line.dropFirst().dropLast(), kind: kind) : nil
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            profiles[current, default: [:]][key] = value
            lastKey = key
        }
    }

    /// Reads `path`; nil when the file does not exist.
    /// - Throws: `.credentialsProviderFailed` when it exists but cannot be read.
    static func load(path: String, kind: Kind) throws(MSKAuthError) -> AWSConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "cannot read AWS \(kind) file \(path)")
        }
        return AWSConfigFile(parsing: String(decoding: data, as: UTF8.self), kind: kind)
    }

    private static func profileName(section: Substring, kind: Kind) -> String? {
        let name = section.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .credentials:
            return name.isEmpty ? nil : name
        case .config:
            if name == "default" { return name }
            let words = name.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard words.count == 2, words[0] == "profile" else { return nil }
            return words[1].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Drops a comment: `#` or `;` at the start, or after a space or tab.
    private static func stripComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
                return line[..<index]
            }
            previous = character
        }
        return line
    }
}

/// Where the shared files are, from the environment as the AWS SDKs read it.
struct AWSSharedFiles: Sendable {
    var configPath: String
    var credentialsPath: String
    var profile: String
    /// Whether the profile was chosen explicitly (then a missing profile is an error).
    var profileIsExplicit: Bool

    init(environment: [String: String], profile: String? = nil) {
        let home = environment.nonEmpty("HOME") ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            path.hasPrefix("~/") ? home + path.dropFirst() : path
        }
        configPath = expand(environment.nonEmpty("AWS_CONFIG_FILE") ?? "~/.aws/config")
        credentialsPath = expand(environment.nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        let chosen = profile ?? environment.nonEmpty("AWS_PROFILE") ?? environment.nonEmpty("AWS_DEFAULT_PROFILE")
        self.profile = chosen ?? "default"
        profileIsExplicit = chosen != nil
    }

    /// The profile's properties: the config file's, overridden by the credentials file's.
    /// Nil when neither file has the profile.
    func properties() throws(MSKAuthError) -> [String: String]? {
        let config = try AWSConfigFile.load(path: configPath, kind: .config)?.profiles[profile]
        let credentials = try AWSConfigFile.load(path: credentialsPath, kind: .credentials)?.profiles[profile]
        if config == nil && credentials == nil { return nil }
        return (config ?? [:]).merging(credentials ?? [:]) { _, fromCredentials in fromCredentials }
    }
}
