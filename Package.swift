// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swabline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swabline", targets: ["swabline"]),
        // Libraries for the benchmark package in Benchmarks/ and the fuzz harnesses in Fuzz/.
        .library(name: "SwablineCore", targets: ["SwablineCore"]),
        .library(name: "SwablineSimulation", targets: ["SwablineSimulation"]),
        .library(name: "SwablineStore", targets: ["SwablineStore"]),
        .library(name: "SwablineServer", targets: ["SwablineServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The domain: value types, rules, queue calling, result matching. No I/O, no clock.
        .target(name: "SwablineCore"),
        // Planning on top of the core's rules: the simulated day and district, their advice,
        // the packer and batch matching at city scale, the seeded generator. No I/O, no clock.
        .target(name: "SwablineSimulation", dependencies: ["SwablineCore"]),
        // Pure SVG charts, values in and strings out: the dashboard's and the simulation report's.
        .target(name: "SwablineCharts"),
        // Persistence: the schema, the one writer, queries, and reading `sites/`; on SQLite
        // (embedded, one node) or PostgreSQL (a cluster of nodes).
        .target(
            name: "SwablineStore",
            dependencies: [
                "SwablineCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // HTTP: routes, authentication, webhook verification, and the pages people use.
        .target(
            name: "SwablineServer",
            dependencies: [
                "SwablineStore",
                "SwablineCharts",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/templates"), .copy("Resources/pages.js")]
        ),
        .executableTarget(
            name: "swabline",
            dependencies: [
                "SwablineServer",
                "SwablineSimulation",
                "SwablineCharts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // What the store, server and end-to-end tests share: where a test's store lives
        // (SQLite, or PostgreSQL on the run's throwaway server).
        .target(name: "SwablineTestSupport", dependencies: ["SwablineStore"], path: "Tests/Support"),
        .testTarget(
            name: "SwablineCoreTests",
            // The simulation's seeded generator draws the random queues, and its packer is checked against the caller.
            dependencies: [
                "SwablineCore", "SwablineSimulation", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SwablineSimulationTests",
            dependencies: ["SwablineSimulation"]
        ),
        .testTarget(
            name: "SwablineChartsTests",
            dependencies: ["SwablineCharts"]
        ),
        .testTarget(
            name: "SwablineStoreTests",
            // The simulation plays the shipped sites' day as `SiteDirectory` loads them.
            dependencies: [
                "SwablineStore", "SwablineSimulation", "SwablineTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "SwablineServerTests",
            dependencies: [
                "SwablineServer", "SwablineTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // Drives the real server over loopback HTTP, and the real `swabline` binary.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SwablineServer",
                "SwablineSimulation",
                "SwablineTestSupport",
                "swabline",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
