// swift-tools-version: 6.1
// libFuzzer targets live in their own package so that building and testing the
// library never compiles them. Every executable is a fuzz target, built with
// the fuzzer and address sanitizers: see scripts/fuzz.sh and docs/FUZZING.md.
import Foundation
import PackageDescription

// A local package's identity is its folder's name, which depends on where the
// repository was cloned; derive it instead of hard-coding it.
let libraryIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6)]

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: libraryIdentity) },
        swiftSettings: strictSwift
    )
}

let package = Package(
    name: "swift-kafka-native-fuzz",
    products: [
        .executable(name: "fuzz-messages", targets: ["FuzzMessages"]),
        .executable(name: "fuzz-record-batches", targets: ["FuzzRecordBatches"]),
        .executable(name: "fuzz-decompression", targets: ["FuzzDecompression"]),
        .executable(name: "fuzz-sasl", targets: ["FuzzSASL"]),
        .executable(name: "fuzz-msk-auth", targets: ["FuzzMSKAuth"]),
    ],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: strictSwift),
        fuzzTarget("FuzzMessages", ["KafkaWire"]),
        fuzzTarget("FuzzRecordBatches", ["KafkaWire"]),
        fuzzTarget("FuzzDecompression", ["KafkaWire"]),
        fuzzTarget("FuzzSASL", ["KafkaClient"]),
        fuzzTarget("FuzzMSKAuth", ["MSKAuth"]),
    ]
)
