// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Folio",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "folio", targets: ["folio"]),
        .library(name: "FolioRML", targets: ["FolioRML"]),
        .library(name: "FolioLayout", targets: ["FolioLayout"]),
        .library(name: "FolioRender", targets: ["FolioRender"]),
        .library(name: "FolioReports", targets: ["FolioReports"]),
        .library(name: "FolioPipeline", targets: ["FolioPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // System libraries: only the Swift module that wraps each one imports it.
        .systemLibrary(
            name: "CXML", pkgConfig: "libxslt",
            providers: [.apt(["libxml2-dev", "libxslt1-dev"])]),
        .systemLibrary(
            name: "CCairo", pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        // What Swift cannot call directly: variadic error callbacks, macros, C globals.
        .target(name: "CFolioShims", dependencies: ["CXML"]),
        .systemLibrary(
            name: "CPixbuf", pkgConfig: "gdk-pixbuf-2.0",
            providers: [.apt(["libgdk-pixbuf-2.0-dev"])]),

        .systemLibrary(
            name: "CRsvg", pkgConfig: "librsvg-2.0",
            providers: [.apt(["librsvg2-dev"])]),

        .target(name: "FolioBarcode"),
        .target(name: "FolioRML", dependencies: ["CXML", "CFolioShims"]),
        .target(name: "FolioLayout", dependencies: ["FolioRML", "FolioBarcode"]),
        .target(name: "FolioRender", dependencies: ["FolioLayout", "CCairo", "CPixbuf", "CRsvg"]),
        // Report definitions (XSL:RML, custom, coded), data sources, packages: definition + data → RML.
        .target(
            name: "FolioReports",
            dependencies: ["FolioRML", "CXML", "CFolioShims", "CLibPQ", .product(name: "Yams", package: "Yams")]),
        // The stages end to end for one render: report → RML → pages → PDF (used by the CLI and the server).
        .target(name: "FolioPipeline", dependencies: ["FolioRML", "FolioLayout", "FolioRender", "FolioReports"]),
        // The service: HTTP API, OpenERP's XML-RPC print protocol, jobs and their queues (disk, PostgreSQL).
        .target(
            name: "FolioServer",
            dependencies: [
                "FolioRML", "FolioRender", "FolioReports", "FolioPipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Yams", package: "Yams"),
            ]),
        // The designer's loop: `folio watch` serves a live preview that re-renders on every change.
        .target(
            name: "FolioWatch",
            dependencies: [
                "FolioRML", "FolioRender", "FolioReports", "FolioPipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "folio",
            dependencies: [
                "FolioRML", "FolioLayout", "FolioRender", "FolioReports", "FolioPipeline", "FolioServer", "FolioWatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // A throwaway PostgreSQL with the sample database, shared by the test targets that need one.
        .target(name: "PostgresTestSupport", path: "Tests/PostgresTestSupport"),
        .testTarget(name: "FolioBarcodeTests", dependencies: ["FolioBarcode"]),
        .testTarget(name: "FolioRMLTests", dependencies: ["FolioRML"]),
        .testTarget(name: "FolioLayoutTests", dependencies: ["FolioLayout"]),
        .testTarget(name: "FolioRenderTests", dependencies: ["FolioRender"]),
        .testTarget(name: "FolioReportsTests", dependencies: ["FolioReports", "PostgresTestSupport"]),
        // The service end to end: HTTP, XML-RPC through python3, jobs, workers on PostgreSQL.
        .testTarget(name: "FolioServerTests", dependencies: ["FolioServer", "folio", "PostgresTestSupport"]),
        // End-to-end tests of the `folio` executable: samples, visual references, the RML corpus.
        .testTarget(name: "folioTests", dependencies: ["folio", "FolioRender", "PostgresTestSupport"], exclude: ["References", "rml-compat-floor.txt", "BrowserCheck"]),
    ],
    swiftLanguageModes: [.v6]
)
