import Foundation

/// Captures a typed-throwing async call as a value, for tests that inspect the error.
extension Result {
    init(_ body: () async throws(Failure) -> Success) async {
        do throws(Failure) { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
