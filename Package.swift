// swift-tools-version: 6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

// Linux only: the socket layer and the connection threads use Linux calls
// (SOCK_NONBLOCK, MSG_NOSIGNAL, poll, pthreads), imported from Glibc, or from Musl
// for the static Linux SDK. No Apple platform is declared because none builds.
let package = Package(
    name: "swift-kafka-native",
    products: [
        .library(name: "KafkaWire", targets: ["KafkaWire"]),
        .library(name: "KafkaClient", targets: ["KafkaClient"]),
        .library(name: "MSKAuth", targets: ["MSKAuth"]),
        .library(name: "KafkaTracking", targets: ["KafkaTracking"]),
        .library(name: "KafkaTesting", targets: ["KafkaTesting"]),
        .executable(name: "kafka-protocol-generator", targets: ["KafkaProtocolGenerator"]),
        .executable(name: "producer-example", targets: ["ProducerExample"]),
        .executable(name: "consumer-example", targets: ["ConsumerExample"]),
        .executable(name: "skcat", targets: ["skcat"]),
        .executable(name: "msk-iam-example", targets: ["MSKIAMExample"]),
        .executable(name: "lineage-example", targets: ["LineageExample"]),
        .executable(name: "exactly-once-example", targets: ["ExactlyOnceExample"]),
        .executable(name: "cdc-forwarder", targets: ["CDCForwarder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // Documentation only (`swift package generate-documentation`, scripts/docs.sh):
        // a command plugin, linked into no target.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: C system libraries (thin bridges, never re-exported from public API)
        .systemLibrary(name: "CKafkaOpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CKafkaZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CKafkaSnappy", pkgConfig: "snappy",
                       providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CKafkaLZ4", pkgConfig: "liblz4",
                       providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CKafkaZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        // Hardware CRC32C kernels (SSE4.2 / ARMv8 CRC) with a portable fallback.
        .target(name: "CKafkaCRC32C"),

        // MARK: Protocol layer: no networking
        .target(
            name: "KafkaWire",
            dependencies: ["CKafkaCRC32C", "CKafkaZlib", "CKafkaSnappy", "CKafkaLZ4", "CKafkaZstd"],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "KafkaProtocolGenerator",
            dependencies: ["KafkaProtocolGeneratorKit"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "KafkaProtocolGeneratorKit",
            swiftSettings: strictSwift
        ),

        // MARK: Client
        .target(
            name: "KafkaClient",
            dependencies: [
                "KafkaWire", "CKafkaOpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "MSKAuth",
            dependencies: ["KafkaClient", "CKafkaOpenSSL"],
            swiftSettings: strictSwift
        ),

        .target(
            name: "KafkaTracking",
            dependencies: [
                "KafkaClient", "KafkaWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strictSwift
        ),

        // An in-process fake cluster for tests (ours and users'): a test double, not a broker.
        .target(
            name: "KafkaTesting",
            dependencies: ["KafkaClient", "KafkaWire"],
            swiftSettings: strictSwift
        ),

        // MARK: Tools
        .executableTarget(
            name: "skcat",
            dependencies: [
                "KafkaClient", "KafkaWire", "MSKAuth", "KafkaTracking",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Examples
        .executableTarget(
            name: "ProducerExample",
            dependencies: ["KafkaClient"],
            path: "Examples/ProducerExample",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "ConsumerExample",
            dependencies: ["KafkaClient"],
            path: "Examples/ConsumerExample",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "MSKIAMExample",
            dependencies: ["KafkaClient", "MSKAuth"],
            path: "Examples/MSKIAMExample",
            swiftSettings: strictSwift
        ),

        .executableTarget(
            name: "ExactlyOnceExample",
            dependencies: ["KafkaClient", .product(name: "Logging", package: "swift-log")],
            path: "Examples/ExactlyOnceExample",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "LineageExample",
            dependencies: ["KafkaClient", "KafkaTracking"],
            path: "Examples/LineageExample",
            swiftSettings: strictSwift
        ),
        // DynamoDB Streams records to Kafka: the parsing and forwarding (tested) and the program.
        .target(
            name: "DynamoDBCDC",
            dependencies: ["KafkaClient", "KafkaWire", "KafkaTracking"],
            path: "Examples/DynamoDBCDC",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "CDCForwarder",
            dependencies: ["DynamoDBCDC", "KafkaClient", "KafkaTracking"],
            path: "Examples/CDCForwarder",
            exclude: ["sample-stream.json"],
            swiftSettings: strictSwift
        ),

        // MARK: Tests
        .target(
            name: "KafkaTestSupport",
            dependencies: ["KafkaWire", "KafkaClient"],
            path: "Tests/KafkaTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "KafkaWireTests",
            dependencies: ["KafkaWire", "KafkaTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "KafkaProtocolGeneratorTests",
            dependencies: ["KafkaProtocolGeneratorKit", "KafkaTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "KafkaClientTests",
            dependencies: ["KafkaClient", "KafkaTestSupport"],
            swiftSettings: strictSwift
        ),
        // Depends on KafkaClient only, and sees members only of modules it imports:
        // proves `import KafkaClient` is enough to produce and consume with headers.
        .testTarget(
            name: "KafkaClientAPITests",
            dependencies: ["KafkaClient"],
            swiftSettings: strictSwift + [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .testTarget(
            name: "KafkaTrackingTests",
            dependencies: ["KafkaTracking", "KafkaClient", "KafkaWire",
                           .product(name: "InMemoryTracing", package: "swift-distributed-tracing")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "KafkaTestingTests",
            dependencies: ["KafkaTesting", "KafkaWire", "KafkaTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "DynamoDBCDCTests",
            dependencies: ["DynamoDBCDC", "KafkaTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "MSKAuthTests",
            dependencies: ["MSKAuth", "KafkaTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["KafkaWire", "KafkaClient", "MSKAuth", "KafkaTracking", "DynamoDBCDC", "KafkaTestSupport", "KafkaTesting",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "MetricsTestKit", package: "swift-metrics"),
                           .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            exclude: ["Peers"],
            swiftSettings: strictSwift
        ),
    ]
)
