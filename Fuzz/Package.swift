// swift-tools-version: 6.1
// libFuzzer harnesses for the parsers that take outside input, a package of
// its own so that `swift test` in the project never builds them. One
// executable per parser; `./run.sh [seconds]` builds them with
// `-sanitize=fuzzer,address` and runs each against its corpus in corpus/.
import PackageDescription

/// The harnesses, by target name: each is `Sources/<name>/<name>.swift`
/// and keeps its corpus in `corpus/<name>/`.
let harnesses: [(name: String, module: String)] = [
    ("FuzzCodes", "SwablineStore"),
    ("FuzzRoster", "SwablineStore"),
    ("FuzzSiteTOML", "SwablineStore"),
    ("FuzzLabWebhook", "SwablineServer"),
    ("FuzzWebhookHeaders", "SwablineServer"),
    ("FuzzAPIBodies", "SwablineServer"),
    ("FuzzPageForm", "SwablineServer"),
    ("FuzzHL7", "SwablineCore"),
    ("FuzzMLLP", "SwablineCore"),
]

let package = Package(
    name: "SwablineFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swabline", path: ".."),
    ],
    targets: [
        // Hands control to libFuzzer from a harness's `@main`.
        .target(name: "LibFuzzerDriver"),
    ] + harnesses.map { harness in
        .executableTarget(
            name: harness.name,
            dependencies: [
                "LibFuzzerDriver",
                .product(name: "SwablineCore", package: "swabline"),
            ] + (harness.module == "SwablineCore" ? [] : [Target.Dependency.product(name: harness.module, package: "swabline")])
        )
    }
)
