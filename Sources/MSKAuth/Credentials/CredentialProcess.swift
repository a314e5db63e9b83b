import Foundation

/// `credential_process` in a profile: a command printing
/// `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ..., "Expiration": ...}`.
///
/// The command line runs through `/bin/sh -c`, as the AWS CLI does on Unix.
/// It inherits the process environment. Its output and standard error are
/// never put in errors: they hold secrets.
enum CredentialProcess {
    private struct Output: Decodable {
        var Version: Int?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var SessionToken: String?
        var Expiration: String?
    }

    static func run(_ command: String) async throws -> AWSCredentials {
        let data: Data = try await BlockingWork.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw MSKAuthError(.credentialsProviderFailed, detail: "cannot start credential_process: \(error)")
            }
            let output = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw MSKAuthError(.credentialsProviderFailed,
                                   detail: "credential_process exited with status \(process.terminationStatus)")
            }
            return output
        }
        return try parse(data)
    }

    static func parse(_ data: Data) throws(MSKAuthError) -> AWSCredentials {
        guard let output = try? JSONDecoder().decode(Output.self, from: data) else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "credential_process did not print a JSON object")
        }
        guard output.Version == 1 else {
            throw MSKAuthError(.credentialsProviderFailed, detail: "credential_process output must have \"Version\": 1")
        }
        guard let access = output.AccessKeyId, let secret = output.SecretAccessKey else {
            throw MSKAuthError(.credentialsProviderFailed,
                               detail: "credential_process output lacks AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = output.Expiration {
            guard let date = AWSDate.parse(text) else {
                throw MSKAuthError(.credentialsProviderFailed, detail: "credential_process Expiration is not an ISO 8601 time")
            }
            expiration = date
        }
        let credentials = AWSCredentials(accessKeyID: access, secretAccessKey: secret,
                                         sessionToken: output.SessionToken, expiration: expiration)
        try credentials.validate()
        return credentials
    }
}
