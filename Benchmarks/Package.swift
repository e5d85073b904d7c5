// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which differs between clones.
let recurPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// recur's micro-benchmarks (ordo-one/benchmark). Run from this folder: `swift package benchmark`.
let package = Package(
    name: "recur-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "TextLayer",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecurKit", package: recurPackage),
            ],
            path: "Benchmarks/TextLayer",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
