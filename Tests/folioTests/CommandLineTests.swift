import Foundation
import FolioRender
import Testing

/// The `folio` command as a user runs it: exit codes, messages with locations, files written or not.
@Suite struct CommandLineTests {
    func write(_ text: String, _ name: String = "in.rml") throws -> String {
        let dir = try CLI.temporaryDirectory()
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    let simple = """
    <document><template><pageTemplate id="p"><frame id="f" x1="72" y1="72" width="451" height="698"/></pageTemplate></template>
    <story><para>Hello <b>Folio</b></para><nextPage/><para>Second page</para></story></document>
    """

    @Test func renderWritesAPDF() throws {
        let input = try write(simple)
        let out = (input as NSString).deletingLastPathComponent + "/out.pdf"
        let r = try CLI.folio(["render", input, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.pageCount(out) == 2)
        #expect(try CLI.text(out).contains("Hello Folio"))
    }

    @Test func malformedXMLExitsNonZeroWithLocationAndWritesNothing() throws {
        let input = try write("<document>\n<story>\n<para>oops</story>\n</document>")
        let dir = (input as NSString).deletingLastPathComponent
        let r = try CLI.folio(["render", input, "-o", dir + "/out.pdf"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(input):3:"), "stderr: \(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files == ["in.rml"], "left behind: \(files)")
    }

    @Test func unknownElementWarnsAndStrictFails() throws {
        let input = try write(simple.replacingOccurrences(of: "<nextPage/>", with: "<nextPage/>\n<sparkle/>"))
        let dir = (input as NSString).deletingLastPathComponent
        let lenient = try CLI.folio(["render", input, "-o", dir + "/a.pdf"])
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("\(input):3:1: warning: unknown element <sparkle>"), "\(lenient.stderr)")
        let strict = try CLI.folio(["render", "--strict", input, "-o", dir + "/b.pdf"])
        #expect(strict.status != 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.pdf"))
    }

    @Test func missingImageIsALocatedWarning() throws {
        let input = try write(simple.replacingOccurrences(of: "<nextPage/>", with: "<nextPage/>\n  <image file=\"nowhere.png\"/>"))
        let r = try CLI.folio(["check", input])
        #expect(r.status == 0)
        #expect(r.stderr.contains("\(input):3:3: warning: image 'nowhere.png' not found"), "\(r.stderr)")
    }

    @Test func sameInputGivesSameBytes() throws {
        let input = try write(simple)
        let dir = (input as NSString).deletingLastPathComponent
        for name in ["a.pdf", "b.pdf"] {
            let r = try CLI.folio(["render", input, "-o", dir + "/" + name], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
            #expect(r.status == 0)
        }
        let a = FileManager.default.contents(atPath: dir + "/a.pdf")
        let b = FileManager.default.contents(atPath: dir + "/b.pdf")
        #expect(a != nil && a == b)
    }

    @Test func previewRendersTheRequestedPage() throws {
        let input = try write(simple)
        let dir = (input as NSString).deletingLastPathComponent
        let r = try CLI.folio(["preview", input, "--page", "2", "--dpi", "50", "-o", dir + "/p2.png"])
        #expect(r.status == 0, "\(r.stderr)")
        let img = try #require(GrayImage.load(path: dir + "/p2.png"))
        #expect(img.width == 413 && img.height == 585)   // A4 at 50 dpi
        #expect(img.pixels.contains { $0 < 128 })         // something was drawn
        let missing = try CLI.folio(["preview", input, "--page", "9", "-o", dir + "/p9.png"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("page 9 does not exist"))
    }

    @Test func checkWritesNothing() throws {
        let input = try write(simple)
        let dir = (input as NSString).deletingLastPathComponent
        let r = try CLI.folio(["check", input])
        #expect(r.status == 0)
        #expect(r.stderr.contains("2 pages"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["in.rml"])
    }

    @Test func resourcesResolveThroughPrefixMappings() throws {
        let dir = try CLI.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/assets", withIntermediateDirectories: true)
        // A 1×1 PNG.
        let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")!
        try png.write(to: URL(fileURLWithPath: dir + "/assets/dot.png"))
        let input = try write(simple.replacingOccurrences(of: "<nextPage/>", with: "<image file=\"[assets]/dot.png\" width=\"10\" height=\"10\"/>"))
        let unmapped = try CLI.folio(["check", input])
        #expect(unmapped.stderr.contains("not found"))
        let mapped = try CLI.folio(["check", input, "--map", "[assets]=\(dir)/assets"])
        #expect(mapped.status == 0 && !mapped.stderr.contains("not found"), "\(mapped.stderr)")
    }
}
