import Foundation
@testable import MSKAuth

/// Finds AWS's published SigV4 suites in the shared inputs folder, which is
/// never copied into the repository: `$KAFKA_SHARED_DIR/aws-sigv4-test-suite`,
/// else `<package root>/../shared/aws-sigv4-test-suite`.
enum SigV4SuiteFiles {
    static let root: URL? = {
        let sharedDir: URL
        if let fromEnvironment = ProcessInfo.processInfo.environment["KAFKA_SHARED_DIR"], !fromEnvironment.isEmpty {
            sharedDir = URL(fileURLWithPath: fromEnvironment)
        } else {
            // #filePath is <root>/Tests/MSKAuthTests/SigV4SuiteFiles.swift.
            let packageRoot = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            sharedDir = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        }
        let suite = sharedDir.appendingPathComponent("aws-sigv4-test-suite")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: suite.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return suite
    }()

    static let isPresent = root != nil
    static let missingMessage =
        "AWS SigV4 test suite not found (set KAFKA_SHARED_DIR or place it at ../shared/aws-sigv4-test-suite)"

    /// Case folders of the aws-c-auth suite: every folder holding a `context.json`.
    static let awsCAuthCases: [String] = {
        guard let base = root?.appendingPathComponent("aws-c-auth-v4") else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: base.appendingPathComponent($0).appendingPathComponent("context.json").path)
        }.sorted()
    }()

    /// Case folders of the botocore suite, relative to it: every folder `x` holding `x.req`.
    static let botocoreCases: [String] = {
        guard let base = root?.appendingPathComponent("botocore-aws4_testsuite") else { return [] }
        let walker = FileManager.default.enumerator(atPath: base.path)
        var cases: [String] = []
        while let relative = walker?.nextObject() as? String {
            let url = URL(fileURLWithPath: relative)
            let folder = url.deletingLastPathComponent().lastPathComponent
            if url.pathExtension == "req", url.deletingPathExtension().lastPathComponent == folder {
                cases.append(url.deletingLastPathComponent().relativePath)
            }
        }
        return cases.sorted()
    }()

    static func read(_ suite: String, _ relative: String) throws -> String {
        guard let root else { throw SuiteFileMissing(path: relative) }
        let url = root.appendingPathComponent(suite).appendingPathComponent(relative)
        let bytes = try Data(contentsOf: url)
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    struct SuiteFileMissing: Error { var path: String }
}

/// An HTTP/1.1 request as the suites write it: request line, headers (a line
/// starting with whitespace continues the previous value), blank line, body.
struct SuiteHTTPRequest {
    var method: String
    var path: String
    var rawQuery: String
    var headers: [SigV4Header]
    var body: [UInt8]

    init(parsing text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { throw Malformed(reason: "empty request") }
        let requestLine = lines.removeFirst()
        // The target may contain spaces (`/example space/`), so cut at the first and last space.
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
              firstSpace < lastSpace else {
            throw Malformed(reason: "bad request line")
        }
        method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<lastSpace]
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            rawQuery = String(target[target.index(after: question)...])
        } else {
            path = String(target)
            rawQuery = ""
        }
        headers = []
        var index = 0
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(SigV4Header(String(line[..<colon]), String(line[line.index(after: colon)...])))
            } else {
                throw Malformed(reason: "bad header line")
            }
            index += 1
        }
        let bodyLines = index < lines.count ? lines[(index + 1)...] : []
        body = Array(bodyLines.joined(separator: "\n").utf8)
    }

    /// Headers as (lower-cased name, trimmed value) pairs in a stable order, to compare as multisets.
    static func normalized(_ headers: [SigV4Header]) -> [String] {
        headers.map { "\($0.name.lowercased()):\($0.value.trimmingCharacters(in: .whitespaces))" }.sorted()
    }

    struct Malformed: Error { var reason: String }
}

extension String {
    /// The file's text without the trailing newline some vectors end with.
    var trimmedVector: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
