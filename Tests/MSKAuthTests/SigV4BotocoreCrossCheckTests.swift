import Foundation
import Testing
@testable import MSKAuth

/// Random requests (odd paths, Unicode and reserved characters in the query,
/// messy header values, bodies, tokens, expiries) signed by us and by
/// botocore's `SigV4Auth` / `SigV4QueryAuth` with a frozen clock, compared exactly.
@Suite("SigV4: cross-check with botocore on random requests", .enabled(if: PythonReference.isAvailable, Comment(rawValue: PythonReference.missingMessage)))
struct SigV4BotocoreCrossCheckTests {
    struct Case: Codable {
        var form: String
        var method: String
        var host: String
        var path: String
        var params: [[String]]
        var headers: [[String]]
        var body: String
        var access: String
        var secret: String
        var token: String?
        var region: String
        var service: String
        var epoch: Int
        var expires: Int
    }

    struct Result: Decodable {
        /// The Authorization header (header form) or the full query (presigned form).
        var signed: String
    }

    static let script = """
        import datetime, json, sys
        from urllib.parse import urlsplit
        import botocore.auth
        from botocore.auth import SigV4Auth, SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        results = []
        for case in json.load(sys.stdin):
            now = datetime.datetime.fromtimestamp(case["epoch"], tz=datetime.timezone.utc)
            botocore.auth.get_current_datetime = (
                lambda remove_tzinfo=True, now=now: now.replace(tzinfo=None) if remove_tzinfo else now)
            credentials = Credentials(case["access"], case["secret"], case.get("token"))
            request = AWSRequest(method=case["method"], url="https://" + case["host"] + case["path"],
                                 params=dict(case["params"]), headers=dict(case["headers"]),
                                 data=case["body"].encode("utf-8"))
            if case["form"] == "header":
                SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
                results.append({"signed": request.headers["Authorization"]})
            else:
                SigV4QueryAuth(credentials, case["service"], case["region"], expires=case["expires"]).add_auth(request)
                results.append({"signed": urlsplit(request.url).query})
        json.dump(results, sys.stdout)
        """

    static func pick<T>(_ options: [T], _ rng: inout some RandomNumberGenerator) -> T {
        options.randomElement(using: &rng)!
    }

    static func text(_ pieces: [String], _ length: ClosedRange<Int>, _ rng: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: length, using: &rng)).map { _ in pick(pieces, &rng) }.joined()
    }

    static func makeCases(count: Int) -> [Case] {
        var rng = SystemRandomNumberGenerator()
        let plain = (Array("abcXYZ019").map(String.init)) + ["-", "_", ".", "~"]
        let pathPieces = plain + [" ", "!", "$", "'", "(", ")", "*", "+", ",", ";", "=", ":", "@", "%20", "%2F", "é", "ሴ", "😀"]
        let queryPieces = pathPieces + ["&", "?", "/", "#", "%", "[", "]", "\"", "<", "^", "|"]
        let valuePieces = plain + [" ", "  ", "\t", "\"", ",", ";", "=", "/", "é"]
        return (0..<count).map { index in
            let presigned = index.isMultiple(of: 2)
            var segments = (0..<Int.random(in: 0...4, using: &rng)).map { _ -> String in
                pick([".", "..", "", text(pathPieces, 1...8, &rng), text(pathPieces, 1...8, &rng)], &rng)
            }
            if Bool.random(using: &rng) { segments.append("") }
            var params: [[String]] = []
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let name = "p" + text(queryPieces, 0...6, &rng)
                if !params.contains(where: { $0[0] == name }) { params.append([name, text(queryPieces, 0...10, &rng)]) }
            }
            var headers = [["Host", pick(["example.amazonaws.com", "b-1.x.kafka.us-east-1.amazonaws.com"], &rng)]]
            for number in 0..<Int.random(in: 0...3, using: &rng) {
                headers.append(["X-H\(number)-" + text(Array("abcXYZ").map(String.init), 1...5, &rng), text(valuePieces, 0...12, &rng)])
            }
            let hasToken = Bool.random(using: &rng)
            return Case(
                form: presigned ? "query" : "header",
                method: presigned ? "GET" : pick(["GET", "POST", "PUT", "DELETE"], &rng),
                host: headers[0][1],
                path: "/" + segments.joined(separator: "/"),
                params: params,
                headers: headers,
                body: presigned ? "" : text(valuePieces, 0...40, &rng),
                access: "AKIA" + text(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567").map(String.init), 16...16, &rng),
                secret: text(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").map(String.init), 40...40, &rng),
                token: hasToken ? text(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=").map(String.init), 20...300, &rng) : nil,
                region: pick(["us-east-1", "eu-west-3", "ap-northeast-1", "us-gov-east-1"], &rng),
                service: pick(["service", "kafka-cluster", "execute-api", "sts"], &rng),
                epoch: Int.random(in: 946_684_800...2_082_758_399, using: &rng),
                expires: Int.random(in: 1...604_800, using: &rng))
        }
    }

    @Test("header and presigned forms match botocore exactly")
    func crossCheck() throws {
        let cases = Self.makeCases(count: 40)
        let output = try PythonReference.run(arguments: ["-c", Self.script], input: try JSONEncoder().encode(cases))
        try #require(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
        let references = try JSONDecoder().decode([Result].self, from: output.stdout)
        try #require(references.count == cases.count)
        for (input, reference) in zip(cases, references) {
            let signer = SigV4Signer(
                credentials: AWSCredentials(accessKeyID: input.access, secretAccessKey: input.secret, sessionToken: input.token),
                region: input.region, service: input.service,
                clock: .fixed(Date(timeIntervalSince1970: TimeInterval(input.epoch))))
            let request = SigV4Request(
                method: input.method, path: input.path,
                query: input.params.map { SigV4QueryItem($0[0], $0[1]) },
                headers: input.headers.map { SigV4Header($0[0], $0[1]) },
                payload: .bytes(Array(input.body.utf8)))
            let ours = input.form == "header"
                ? try signer.signHeaders(request).authorization
                : try signer.presign(request, expiresIn: input.expires).encodedQuery
            #expect(ours == reference.signed, "\(input.form) form differs for \(input.method) \(input.path) \(input.params) \(input.headers)")
        }
    }
}
