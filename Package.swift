// swift-tools-version: 6.0
// PyramidKV Fleet: one target per concern (see ../shared/design.md §2).
import PackageDescription

let package = Package(
    name: "PyramidKVFleet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pyramidkv", targets: ["pyramidkv"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        // gzip for results export files.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The coordinator client's HTTP and SHA-256 come from the system, so a cold build
        // compiles no BoringSSL (swift-crypto and AsyncHTTPClient each brought a copy).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // SIMD kernels (AVX2/FMA and AVX-512 variants chosen at run time).
        .target(name: "CKernels",
                cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-fno-trapping-math",
                                             "-fassociative-math", "-fno-signed-zeros"])]),

        // The policy vocabulary (names, presets, pooling, layouts, PolicyConfig) shared by the CLI,
        // the wire and the engine; no dependencies, so FleetCore and KVEngine stay apart.
        .target(name: "PolicySpec"),
        // What a task asks and when (question timing): the job fields every family shares.
        .target(name: "TaskSpec"),
        .target(name: "FleetCore", dependencies: ["COpenSSL", "PolicySpec", "TaskSpec"]),
        // Where the fetched default model and haystack live (the app's paths, not the engine's).
        .target(name: "Assets", resources: [.copy("Resources")]),
        .target(name: "KVEngine", dependencies: ["COpenBLAS", "CKernels", "PolicySpec"]),
        .target(name: "Statistics"),
        .target(name: "KVEval", dependencies: ["KVEngine", "Statistics", "Assets", "TaskSpec"],
                resources: [.copy("Resources")]),
        .target(name: "Coordinator", dependencies: [
            "FleetCore", "PolicySpec", "TaskSpec", "KVEval", "CSQLite", "Statistics",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "Worker", dependencies: ["FleetCore", "PolicySpec", "TaskSpec", "KVEngine", "KVEval", "CCurl", "Assets"]),
        // `pyramidkv bench coordinator` and its SwiftNIO load generator: a library the CLI
        // links, so the command stays where users know it and the CLI holds no NIO code.
        .target(name: "BenchCoordinator", dependencies: [
            "FleetCore", "PolicySpec", "Coordinator", "Worker",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .executableTarget(name: "pyramidkv", dependencies: [
            "PolicySpec", "TaskSpec", "KVEngine", "KVEval", "FleetCore", "Coordinator", "Worker", "BenchCoordinator", "Assets", "CZlib",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Helpers every test target shares (temporary directories, prerequisite checks).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "KVEngineTests", dependencies: ["KVEngine", "PolicySpec", "CKernels", "Assets", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "KVEvalTests", dependencies: ["KVEval", "KVEngine", "FleetCore", "TaskSpec", "Assets", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "FleetTests", dependencies: ["FleetCore", "PolicySpec", "TaskSpec", "Coordinator", "Worker", "KVEngine", "KVEval", "Assets", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
