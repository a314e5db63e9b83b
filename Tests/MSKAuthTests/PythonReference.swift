import Foundation

/// Runs the official Python implementations (botocore and
/// aws-msk-iam-sasl-signer-python) as a reference, when they are installed.
enum PythonReference {
    static let missingMessage =
        "python3 with botocore and aws-msk-iam-sasl-signer-python not found (pip install botocore aws-msk-iam-sasl-signer-python)"

    static let isAvailable: Bool = {
        (try? run(arguments: ["-c", "import botocore.auth, aws_msk_iam_sasl_signer"], input: Data()))?.status == 0
    }()

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(arguments: [String], input: Data) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: out, stderr: err)
    }

    struct Case: Codable {
        var access: String
        var secret: String
        var token: String?
        var region: String
        var host: String
        var epoch: Int
        var userAgent: String
    }

    struct Result: Decodable {
        /// aws-msk-iam-sasl-signer's OAUTHBEARER token and expiry (ms).
        var token: String
        var expiryMs: Int64
        /// botocore's SigV4QueryAuth parameters for the AWS_MSK_IAM request, decoded.
        var iam: [String: String]
    }

    /// For each case: the token from the signer's public
    /// `generate_auth_token_from_credentials_provider`, with botocore's clock and
    /// the library's user agent pinned,
    /// and botocore's presigned `GET https://<host>/?Action=kafka-cluster:Connect`.
    static let script = """
        import datetime, json, sys
        from urllib.parse import parse_qsl, urlsplit
        import botocore.auth
        from botocore.auth import SigV4QueryAuth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        from botocore.credentials import CredentialProvider
        from aws_msk_iam_sasl_signer import MSKAuthTokenProvider as provider

        class FixedCredentials(CredentialProvider):
            METHOD = "fixed"
            def __init__(self, credentials):
                super().__init__()
                self.credentials = credentials
            def load(self):
                return self.credentials

        results = []
        for case in json.load(sys.stdin):
            now = datetime.datetime.fromtimestamp(case["epoch"], tz=datetime.timezone.utc)
            botocore.auth.get_current_datetime = (
                lambda remove_tzinfo=True, now=now: now.replace(tzinfo=None) if remove_tzinfo else now)
            provider.__get_user_agent__ = lambda agent=case["userAgent"]: agent
            credentials = Credentials(case["access"], case["secret"], case.get("token"))
            token, expiry = provider.generate_auth_token_from_credentials_provider(
                case["region"], FixedCredentials(credentials))
            request = AWSRequest(method="GET", url="https://" + case["host"] + "/",
                                 params={"Action": "kafka-cluster:Connect"})
            SigV4QueryAuth(credentials, "kafka-cluster", case["region"], expires=900).add_auth(request)
            iam = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
            results.append({"token": token, "expiryMs": expiry, "iam": iam})
        json.dump(results, sys.stdout)
        """

    static func evaluate(_ cases: [Case]) throws -> [Result] {
        let output = try run(arguments: ["-c", script], input: try JSONEncoder().encode(cases))
        guard output.status == 0 else {
            throw Failure(message: String(decoding: output.stderr, as: UTF8.self))
        }
        return try JSONDecoder().decode([Result].self, from: output.stdout)
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { "python reference failed: \(message)" }
    }
}
