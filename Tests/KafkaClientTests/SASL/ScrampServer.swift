import Foundation
import KafkaTestSupport

/// Python's `scramp` as an independent SCRAM server. It runs once per message
/// with a fixed salt and server nonce, so each run replays the same exchange
/// and the test needs no interactive pipes.
enum ScrampServer {
    static let script = """
    import sys, base64, scramp
    mech, password, salt, s_nonce, iterations, client_first, client_final = sys.argv[1:8]
    m = scramp.ScramMechanism(mech)
    info = m.make_auth_info(password, iteration_count=int(iterations), salt=base64.b64decode(salt))
    seen = []
    def auth(user):
        seen.append(user)
        return info
    s = m.make_server(auth, s_nonce=s_nonce)
    s.set_client_first(client_first)
    print(seen[0])
    print(s.get_server_first())
    if client_final:
        try:
            s.set_client_final(client_final)
        except scramp.ScramException:
            pass
        print(s.get_server_final())
    """

    /// Whether python3 and scramp are importable.
    static var isAvailable: Bool {
        (try? run(["-c", "import scramp"]).status) == 0
    }

    /// The user name scramp decoded, its server-first and (given a client-final) its server-final.
    static func respond(mechanism: String, password: String, salt: [UInt8], serverNonce: String, iterations: Int,
                        clientFirst: String, clientFinal: String = "") throws -> [String] {
        let result = try run(["-c", script, mechanism, password, Data(salt).base64EncodedString(), serverNonce,
                              String(iterations), clientFirst, clientFinal])
        guard result.status == 0 else {
            throw Failure(description: "scramp exited with \(result.status): \(result.stderr)")
        }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read before waiting so a chatty process can't fill the pipe and block.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
