// swift-tools-version:6.1
import PackageDescription

/// One list of settings for every Swift target: Swift 6 language mode (strict concurrency).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOExtras", package: "swift-nio-extras"),
    .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
]

let package = Package(
    name: "training",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scoring-intake", targets: ["ScoringIntakeMain"]),
        .executable(name: "training-scheduling", targets: ["TrainingSchedulingMain"]),
        .executable(name: "effectiveness-review", targets: ["EffectivenessReviewMain"]),
        .executable(name: "trainctl", targets: ["TrainCtl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // MARK: C libraries (the only code that sees C structs)
        .systemLibrary(
            name: "CProtobufC", path: "Shared/CProtobufC", pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Shared/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "TrainingProtoC", dependencies: ["CProtobufC"], path: "Shared/TrainingProtoC"),

        // MARK: Shared libraries
        .target(
            name: "TrainingWire", dependencies: ["CProtobufC", "TrainingProtoC"],
            path: "Shared/TrainingWire", swiftSettings: swiftSettings),
        .target(
            name: "RPCRuntime",
            dependencies: ["TrainingWire", .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")] + nio,
            path: "Shared/RPCRuntime", swiftSettings: swiftSettings),
        .target(
            name: "SQLiteStorage", dependencies: ["CSQLite", .product(name: "Logging", package: "swift-log")],
            path: "Shared/SQLiteStorage", swiftSettings: swiftSettings),
        .target(
            name: "CalendarDates", path: "Shared/CalendarDates", swiftSettings: swiftSettings),
        .target(
            name: "ServiceKit",
            dependencies: ["RPCRuntime", "SQLiteStorage", "TrainingWire",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Shared/ServiceKit", swiftSettings: swiftSettings),

        // MARK: Services: a fat library and a thin executable each
        .target(
            name: "ScoringIntake", dependencies: ["CalendarDates", "ServiceKit", "RPCRuntime", "SQLiteStorage", "TrainingWire"],
            path: "Services/ScoringIntake/Sources", swiftSettings: swiftSettings),
        .executableTarget(
            name: "ScoringIntakeMain", dependencies: ["ScoringIntake", "ServiceKit"],
            path: "Services/ScoringIntake/Main", swiftSettings: swiftSettings),
        .target(
            name: "TrainingScheduling",
            dependencies: ["CalendarDates", "ServiceKit", "RPCRuntime", "SQLiteStorage", "TrainingWire",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log")],
            path: "Services/TrainingScheduling/Sources", swiftSettings: swiftSettings),
        .executableTarget(
            name: "TrainingSchedulingMain", dependencies: ["TrainingScheduling", "ServiceKit"],
            path: "Services/TrainingScheduling/Main", swiftSettings: swiftSettings),
        .target(
            name: "EffectivenessReview", dependencies: ["CalendarDates", "ServiceKit", "RPCRuntime", "SQLiteStorage", "TrainingWire"],
            path: "Services/EffectivenessReview/Sources", swiftSettings: swiftSettings),
        .executableTarget(
            name: "EffectivenessReviewMain", dependencies: ["EffectivenessReview", "ServiceKit"],
            path: "Services/EffectivenessReview/Main", swiftSettings: swiftSettings),

        // MARK: The operator's and scripts' command line
        .executableTarget(
            name: "TrainCtl",
            dependencies: ["RPCRuntime", "TrainingWire", "ServiceKit", "CalendarDates",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            path: "Services/TrainCtl", swiftSettings: swiftSettings),

        // MARK: Test tools run by scripts (valgrind, LeakSanitizer, benchmarks)
        .executableTarget(
            name: "codec-soak", dependencies: ["TrainingWire"],
            path: "Tests/Tools/CodecSoak", swiftSettings: swiftSettings),
        .executableTarget(
            name: "transport-bench",
            dependencies: ["RPCRuntime", "TrainingWire", .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Tests/Tools/TransportBench", swiftSettings: swiftSettings),

        .executableTarget(
            name: "intake-bench",
            dependencies: ["ScoringIntake", "RPCRuntime", "TrainingWire", "SQLiteStorage", "CSQLite",
                           .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/Tools/IntakeBench", swiftSettings: swiftSettings),

        .executableTarget(
            name: "scheduling-bench", dependencies: ["TrainingScheduling", "RPCRuntime", "TrainingWire"] + nio,
            path: "Tests/Tools/SchedulingBench", swiftSettings: swiftSettings),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["RPCRuntime", "TrainingWire", .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "WireTests", dependencies: ["TrainingWire", "TestSupport"],
            path: "Tests/WireTests", resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "RPCRuntimeTests", dependencies: ["RPCRuntime", "TrainingWire", "TestSupport"] + nio,
            path: "Tests/RPCRuntimeTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "StorageTests", dependencies: ["SQLiteStorage", .product(name: "Logging", package: "swift-log")],
            path: "Tests/StorageTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: ["ServiceKit", "TestSupport", "RPCRuntime", "SQLiteStorage", "TrainingWire",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            path: "Tests/ServiceKitTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "EffectivenessReviewTests", dependencies: ["EffectivenessReview", "CalendarDates"],
            path: "Tests/EffectivenessReviewTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "TrainingSchedulingTests", dependencies: ["TrainingScheduling"],
            path: "Tests/TrainingSchedulingTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "ScoringIntakeTests",
            dependencies: ["ScoringIntake", "CalendarDates", "ServiceKit", "SQLiteStorage", "RPCRuntime", "TrainingWire", "TestSupport",
                           .product(name: "Logging", package: "swift-log")],
            path: "Tests/ScoringIntakeTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests", dependencies: ["TestSupport", "RPCRuntime", "TrainingWire", "SQLiteStorage"],
            path: "Tests/IntegrationTests", swiftSettings: swiftSettings),
        .testTarget(name: "TrainCtlTests", dependencies: ["TrainCtl", "CalendarDates", "TestSupport", "RPCRuntime", "TrainingWire"], path: "Tests/TrainCtlTests", swiftSettings: swiftSettings),
    ]
)
