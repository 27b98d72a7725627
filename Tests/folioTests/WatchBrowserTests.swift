import Foundation
import Testing

/// `folio watch` in a real browser: headless Chromium (Debian's `chromium`, installed by the test
/// command) driven over the DevTools protocol by BrowserCheck/watch_check.py. The script edits a
/// copy of the bundled packages and waits (without timing assertions) for the page to show each
/// state: the render, the new render after a change, the error overlay at the stylesheet's line,
/// and the overlay gone after the fix.
@Suite struct WatchBrowserTests {
    static func chromium() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let path = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    @Test func designerLoopInTheBrowser() throws {
        let browser = try #require(Self.chromium(), "Chromium is needed for this test (scripts/install-deps.sh installs it)")
        let work = try CLI.temporaryDirectory()
        let script = CLI.packageRoot.appendingPathComponent("Tests/folioTests/BrowserCheck/watch_check.py").path
        let r = try CLI.run("python3", [script, CLI.folio, browser, CLI.packageRoot.appendingPathComponent("templates").path, work])
        let log = (try? String(contentsOfFile: work + "/watch.log", encoding: .utf8)) ?? ""
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)\nfolio watch log:\n\(log)")
        #expect(r.stdout.contains("re-rendered after the change") && r.stdout.contains("overlay: ") && r.stdout.hasSuffix("OK\n"), "\(r.stdout)")
    }
}
