/// The lineage of the event being handled in the current task: records produced
/// while it is set inherit its correlation id and name it as their cause.
public enum LineageContext {
    /// The event being handled, if any.
    @TaskLocal public static var current: LineageMetadata?

    /// Runs `operation` as the handling of the event with lineage `lineage`.
    public static func withEvent<T>(_ lineage: LineageMetadata?, operation: () async throws -> T) async rethrows -> T {
        try await $current.withValue(lineage, operation: operation)
    }
}
