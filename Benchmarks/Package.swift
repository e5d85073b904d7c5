// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which differs between clones.
let recurPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// recur's micro-benchmarks (ordo-one/benchmark). Run from this folder: `swift package benchmark`.
// Benchmarks/<Target>/ holds one benchmark executable per stage; Sources/ the shared input
// preparation, `dedup-compare` (the Swift half of scripts/bench-dedup-vs-datasketch.sh) and
// `analyzer-baseline` (the analyzers-alone baseline of scripts/bench.sh).
let package = Package(
    name: "recur-benchmarks",
    // macOS 15 for Synchronization.Atomic (PeakHeap); Linux has no such floor.
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        // Also a dependency of `benchmark`; named here for PeakHeap's allocation hook.
        .package(url: "https://github.com/ordo-one/malloc-interposer.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Benchmark input (the generated archive's paragraphs) and measuring helpers.
        .target(
            name: "RecurBenchSupport",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurKit", package: recurPackage),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
        .executableTarget(
            name: "Dedup",
            dependencies: [
                "RecurBenchSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurKit", package: recurPackage),
            ],
            path: "Benchmarks/Dedup",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TextLayer",
            dependencies: [
                "RecurBenchSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurKit", package: recurPackage),
            ],
            path: "Benchmarks/TextLayer",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Stages",
            dependencies: [
                "RecurBenchSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurKit", package: recurPackage),
            ],
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not a benchmark target: no malloc interposer, so its timings match a plain recur build.
        .executableTarget(
            name: "dedup-compare",
            dependencies: [
                "BenchClock",
                .product(name: "RecurKit", package: recurPackage),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Timing and medians for the two executables above and below.
        .target(name: "BenchClock"),
        // The language analyzers alone over an archive's paragraphs, on 2 threads: the baseline
        // `recur analyze` is compared with in scripts/bench.sh. No malloc interposer either.
        .executableTarget(
            name: "analyzer-baseline",
            dependencies: [
                "BenchClock",
                .product(name: "RecurKit", package: recurPackage),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the walk's file list holds for an archive (`InputFileList`'s front-coded bytes).
        .executableTarget(
            name: "file-list-bytes",
            dependencies: [
                .product(name: "RecurKit", package: recurPackage),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
