import Foundation
import FolioRML
import Testing
@testable import FolioReports

@Suite struct ChartRendererTests {
    func definition(_ type: CustomReportDefinition.Kind, values: Int, cumulate: Bool = false, colors: [String?] = []) -> CustomReportDefinition {
        var cols = [CustomReportDefinition.Column(title: "Category", field: "name")]
        for i in 0..<values {
            var c = CustomReportDefinition.Column(title: "Series \(i + 1)", field: "v\(i)")
            c.operation = .sum
            c.cumulate = cumulate ? true : nil
            c.color = i < colors.count ? colors[i] : nil
            cols.append(c)
        }
        var d = CustomReportDefinition(name: "test.chart", title: "Test chart", type: type, columns: cols)
        d.model = "sale.order"
        return d
    }

    func error(_ body: () throws -> Void) -> ReportError? {
        do { try body(); return nil } catch { return error as? ReportError }
    }

    @Test func pieSlices() throws {
        let labels = ["France", "Germany", "Spain", "Zero", "Italy"]
        let rml = try ChartRenderer.rml(for: definition(.pie, values: 1), labels: labels, series: [[50, 25, 15, 0, 10]], width: 400, height: 260)
        let ill = try Fixtures.parseIllustration(rml, width: 400, height: 260)
        #expect(Fixtures.all("path", in: ill).count == 4, "one slice per positive value")
        #expect(Fixtures.all("curvesto", in: ill).count == 4)
        let texts = Fixtures.all("drawCentredString", in: ill).map(\.text)
        #expect(texts == ["50 %", "25 %", "15 %", "10 %"])
        let legend = Fixtures.all("drawString", in: ill).map(\.text)
        #expect(legend.count == 5)
        #expect(legend[0] == "France  50  (50 %)")
        #expect(legend[3] == "Zero  0  (0 %)")
        // Legend swatches, one per label.
        #expect(Fixtures.all("rect", in: ill).count == 5)
        // Default palette by row (the zero row keeps its colour in the legend only).
        let fills = Fixtures.all("fill", in: ill).compactMap { $0["color"] }
        let p = ChartRenderer.palette
        #expect(Array(fills.prefix(4)) == [p[0], p[1], p[2], p[4]])
    }

    @Test func pieSingleSliceIsACircleAndColoursComeFromTheColumn() throws {
        let d = definition(.pie, values: 1, colors: ["#112233, #445566"])
        let rml = try ChartRenderer.rml(for: d, labels: ["a", "b", "c"], series: [[0, 7, 1]], width: 300, height: 200)
        let ill = try Fixtures.parseIllustration(rml)
        let paths = Fixtures.all("path", in: ill)
        #expect(paths.count == 2)
        let fills = Fixtures.all("fill", in: ill).compactMap { $0["color"] }
        #expect(fills.prefix(2) == ["#445566", ChartRenderer.palette[2]])
        let one = try ChartRenderer.rml(for: d, labels: ["only"], series: [[3]], width: 300, height: 200)
        let full = Fixtures.all("path", in: try Fixtures.parseIllustration(one))
        #expect(full.count == 1)
        #expect(full[0].first("curvesto")?.text.split(separator: " ").count == 24, "four 90° arcs")
    }

    @Test func pieValidation() {
        #expect(error { _ = try ChartRenderer.rml(for: definition(.pie, values: 2), labels: ["a"], series: [[1], [2]], width: 300, height: 200) }?
            .message.contains("exactly two columns") == true)
        #expect(error { _ = try ChartRenderer.rml(for: definition(.pie, values: 1), labels: ["a", "b"], series: [[1, -2]], width: 300, height: 200) }?
            .message.contains("negative") == true)
        #expect(error { _ = try ChartRenderer.rml(for: definition(.pie, values: 1), labels: ["a", "b"], series: [[1]], width: 300, height: 200) }?
            .message.contains("1 values for 2 labels") == true)
        #expect(error { _ = try ChartRenderer.rml(for: definition(.table, values: 1), labels: ["a"], series: [[1]], width: 300, height: 200) }?
            .kind == .definition)
        #expect(error { _ = try ChartRenderer.rml(for: definition(.bar, values: 1), labels: ["a"], series: [[.nan]], width: 300, height: 200) }?
            .message.contains("finite") == true)
        // All zero: a "No data" message, no slices.
        let empty = try! ChartRenderer.rml(for: definition(.pie, values: 1), labels: ["a"], series: [[0]], width: 300, height: 200)
        #expect(empty.contains("No data") && !empty.contains("<path"))
    }

    @Test func groupedBars() throws {
        let labels = ["2025-01", "2025-02", "2025-03"]
        let series: [[Double]] = [[120, 80, -30], [60, 140, 20]]
        let rml = try ChartRenderer.rml(for: definition(.bar, values: 2), labels: labels, series: series, width: 480, height: 300)
        let ill = try Fixtures.parseIllustration(rml, width: 480, height: 300)
        let rects = Fixtures.all("rect", in: ill)
        let bars = rects.filter { $0["stroke"] == "0" }
        #expect(bars.count == 6, "one bar per category and series")
        #expect(rects.filter { $0["stroke"] == "1" }.count == 2, "one legend swatch per series")
        // The negative bar hangs below the zero line, which is a tick.
        let ticks = Fixtures.all("drawRightString", in: ill).map(\.text)
        #expect(ticks.contains("0"))
        #expect(ticks.contains("150") || ticks.contains("160"))
        #expect(ticks.first?.hasPrefix("-") == true)
        let labelsDrawn = Fixtures.all("drawCentredString", in: ill).map(\.text)
        for l in labels { #expect(labelsDrawn.contains(l)) }
        #expect(Fixtures.all("drawString", in: ill).map(\.text) == ["Series 1", "Series 2"])
        // Bars of one category sit side by side, series 1 left of series 2.
        let x = bars.map { Double($0["x"]!)! }
        #expect(x[0] < x[3] && x[1] < x[4])
        let heights = bars.map { Double($0["height"]!)! }
        #expect(abs(heights[0] / heights[3] - 2) < 0.01)
    }

    @Test func crowdedLabelsRotate() throws {
        let labels = (1...24).map { "Customer number \($0)" }
        let values = (1...24).map { Double($0) * 1.5 }
        let rml = try ChartRenderer.rml(for: definition(.bar, values: 1), labels: labels, series: [values], width: 400, height: 300)
        let ill = try Fixtures.parseIllustration(rml)
        #expect(Fixtures.all("rotate", in: ill).count == 24)
        #expect(Fixtures.all("rect", in: ill).filter { $0["stroke"] == "0" }.count == 24)
    }

    @Test func linesWithMarkers() throws {
        let labels = ["Mon", "Tue", "Wed", "Thu", "Fri"]
        let rml = try ChartRenderer.rml(for: definition(.line, values: 2), labels: labels,
                                        series: [[1, 3, 2, 5, 4], [0.5, 0.25, 0.75, 1, 1.25]], width: 400, height: 250)
        let ill = try Fixtures.parseIllustration(rml, width: 400, height: 250)
        #expect(Fixtures.all("path", in: ill).count == 2, "one polyline per series")
        #expect(Fixtures.all("circle", in: ill).count == 5 * 2 + 2, "a marker per point, one per legend entry")
        let first = Fixtures.all("path", in: ill)[0]
        #expect(first.text.split(separator: " ").count == 8, "four more points after the start")
    }

    @Test func cumulateAccumulates() throws {
        let d = definition(.line, values: 1, cumulate: true)
        let p = try ChartRenderer.prepare(d, labels: ["a", "b", "c", "d"], series: [[1, 2, 3, 4]])
        #expect(p.series[0].values == [1, 3, 6, 10])
        let plain = try ChartRenderer.prepare(definition(.line, values: 1), labels: ["a", "b"], series: [[1, 2]])
        #expect(plain.series[0].values == [1, 2])
    }

    @Test func niceTicks() {
        let s = NiceScale(min: 0, max: 87, maxTicks: 6)
        #expect(s.lo == 0 && s.hi == 100 && s.step == 20)
        let t = NiceScale(min: -30, max: 140, maxTicks: 8)
        #expect(t.ticks.contains(0))
        #expect(t.lo <= -30 && t.hi >= 140)
        let small = NiceScale(min: 0, max: 1.25, maxTicks: 6)
        #expect(small.step == 0.5 && small.decimals == 1)
        #expect(small.ticks.map { small.label($0) } == ["0.0", "0.5", "1.0", "1.5"])
        let quarter = NiceScale(min: 0, max: 0.9, maxTicks: 5)
        #expect(quarter.step == 0.25 && quarter.decimals == 2)
        #expect(quarter.ticks.map { quarter.label($0) } == ["0.00", "0.25", "0.50", "0.75", "1.00"])
        let flat = NiceScale(min: 0, max: 0, maxTicks: 5)
        #expect(flat.hi > flat.lo)
    }

    @Test func escapingAndDeterminism() throws {
        let labels = ["A & B", "<script>", "\"quoted\"", "ctrl\u{1}char", "日本語"]
        let d = definition(.bar, values: 1)
        let a = try ChartRenderer.rml(for: d, labels: labels, series: [[1, 2, 3, 4, 5]], width: 500, height: 300)
        let b = try ChartRenderer.rml(for: d, labels: labels, series: [[1, 2, 3, 4, 5]], width: 500, height: 300)
        #expect(a == b)
        let texts = Fixtures.all("drawCentredString", in: try Fixtures.parseIllustration(a, width: 500)).map(\.text)
            + Fixtures.all("drawRightString", in: try Fixtures.parseIllustration(a, width: 500)).map(\.text)
        #expect(texts.contains("A & B") && texts.contains("<script>") && texts.contains("ctrlchar"))
    }

    @Test func fullDocument() throws {
        var d = definition(.bar, values: 2)
        d.format = .a5
        d.orientation = .landscape
        d.footer = "Sales & co"
        let rml = try ChartRenderer.document(for: d, labels: ["x", "y"], series: [[1, 2], [3, 4]], date: "2025-03-14")
        let doc = try Fixtures.parseStrict(rml)
        #expect(doc.template?["pagesize"] == "(595.28,419.53)")
        #expect(doc.story?.first("para")?.text == "Test chart")
        let ill = try #require(doc.story?.first("illustration"))
        #expect(Fixtures.all("rect", in: ill).filter { $0["stroke"] == "0" }.count == 4)
        let graphics = try #require(doc.template?.first("pageTemplate")?.first("pageGraphics"))
        #expect(Fixtures.all("pageCount", in: graphics).count == 1)
        #expect(Fixtures.all("drawString", in: graphics).first?.text == "Sales & co · 2025-03-14")
        // Portrait A4 by default.
        let portrait = try Fixtures.parseStrict(try ChartRenderer.document(for: definition(.pie, values: 1), labels: ["a"], series: [[1]]))
        #expect(portrait.template?["pagesize"] == "(595.28,841.89)")
    }

    @Test func chartDataFromIntermediateXML() throws {
        let xml = """
        <report><config/><header><field>M</field><field>A</field><field>B</field></header>
        <lines><row><col>Jan</col><col>1.5</col><col>2</col></row><row><col>Feb</col><col></col><col>-3</col></row></lines></report>
        """
        let data = try ChartData.parse(intermediateXML: Data(xml.utf8))
        #expect(data == ChartData(labels: ["Jan", "Feb"], series: [[1.5, 0], [2, -3]]))
        let bad = "<report><lines><row><col>Jan</col><col>abc</col></row></lines></report>"
        #expect(throws: ReportError.self) { try ChartData.parse(intermediateXML: Data(bad.utf8), label: "bad.xml") }
        #expect(throws: ReportError.self) { try ChartData.parse(intermediateXML: Data("<report>".utf8)) }
    }
}
