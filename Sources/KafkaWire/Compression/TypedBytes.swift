/// `withUnsafeBytes` for bodies with typed throws: the standard library's
/// version only rethrows untyped errors.
@inlinable
func withBytes<R>(
    _ array: [UInt8],
    _ body: (UnsafeRawBufferPointer) throws(KafkaWireError) -> R
) throws(KafkaWireError) -> R {
    let result: Result<R, KafkaWireError> = array.withUnsafeBytes { (raw) -> Result<R, KafkaWireError> in
        do throws(KafkaWireError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}
