import Testing
import FolioRML
@testable import FolioReports

@Suite struct ReportErrorTests {
    @Test func descriptionNamesThePlace() {
        let e = ReportError(.stylesheet, "unknown variable $x", at: SourceLocation(file: "a.xsl", line: 3, column: 7))
        #expect(e.description == "a.xsl:3:7: error: unknown variable $x")
        #expect(ReportError(.data, "empty").description == "error: empty")
    }
}
