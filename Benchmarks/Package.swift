// swift-tools-version: 6.1
// The performance suite, a package of its own so that `swift test` in the
// project never builds the benchmark machinery. Run from this folder:
//   swift package benchmark
import PackageDescription

let package = Package(
    name: "SwablineBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swabline", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "SwablineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SwablineCore", package: "swabline"),
                .product(name: "SwablineSimulation", package: "swabline"),
                .product(name: "SwablineStore", package: "swabline"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/SwablineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
