// swift-tools-version: 6.1
// libFuzzer targets for recur's decoders and parsers: `scripts/fuzz.sh` builds them with coverage
// instrumentation and AddressSanitizer and runs each for a fixed time over its corpus.
import PackageDescription

/// libFuzzer without its `main`: each target's own `main` calls `LLVMFuzzerRunDriver`.
let libFuzzer = "/opt/swift/usr/lib/clang/21/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a"

let package = Package(
    name: "recur-fuzz",
    dependencies: [.package(path: "..")],
    targets: [.target(name: "FuzzDriver")] + ["FuzzReader", "FuzzCharset", "FuzzDates", "FuzzSlices"].map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzDriver", .product(name: "RecurKit", package: "main")],
            linkerSettings: [.unsafeFlags([libFuzzer, "-lstdc++"])]
        )
    }
)
