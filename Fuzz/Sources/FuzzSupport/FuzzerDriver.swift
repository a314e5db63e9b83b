/// A fuzz target's test function, as libFuzzer calls it.
public typealias FuzzTestFunction = @convention(c) (UnsafeRawPointer, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ test: FuzzTestFunction
) -> CInt

/// Runs libFuzzer's command line driver on `test`.
///
/// SwiftPM links an executable with `main` aliased to `<Module>_main` (so tests
/// can link executables), which a `-parse-as-library` fuzz target does not
/// define; each target defines that symbol and lets it call this.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ test: FuzzTestFunction
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, test)
}
