// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "recur",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "recur", targets: ["recur"]),
        .executable(name: "recur-corpus", targets: ["recur-corpus"]),
        .library(name: "RecurKit", targets: ["RecurKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // ICU behind a shim whose public header carries no ICU types (Foundation ships its own ICU module).
        .target(
            name: "CRecurICU",
            cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        .systemLibrary(name: "CMeCab"),
        .systemLibrary(name: "CVoikko"),
        .systemLibrary(name: "CStemmer"),
        .target(
            name: "RecurKit",
            dependencies: ["CRecurICU", "CMeCab", "CVoikko", "CStemmer"],
            // Where the stopword lists come from (documentation, not a resource).
            exclude: ["Text/Stopwords/README.md"]
        ),
        .executableTarget(
            name: "recur",
            dependencies: [
                "RecurKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Demo and scale archives with known truth (corpus generator).
        .target(name: "RecurCorpus", dependencies: ["RecurKit"]),
        .executableTarget(
            name: "recur-corpus",
            dependencies: [
                "RecurCorpus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "RecurTestSupport", dependencies: ["RecurKit"]),
        .testTarget(
            name: "RecurKitTests",
            // RecurCorpus for its seeded generator (SplitMix64).
            dependencies: ["RecurKit", "RecurCorpus", "RecurTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "RecurIngestTests",
            dependencies: ["RecurKit", "RecurTestSupport", "RecurCorpus"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "RecurLanguageTests",
            dependencies: ["RecurKit", "RecurTestSupport"]
        ),
        .testTarget(
            name: "RecurDedupTests",
            dependencies: ["RecurKit", "RecurTestSupport", "RecurCorpus"]
        ),
        .testTarget(
            name: "RecurThemesTests",
            dependencies: ["RecurKit", "RecurTestSupport"]
        ),
        .testTarget(
            name: "RecurCorpusTests",
            dependencies: ["RecurCorpus", "RecurKit", "RecurTestSupport"]
        ),
        .testTarget(
            name: "RecurEndToEndTests",
            dependencies: ["RecurKit", "RecurTestSupport", "recur"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
