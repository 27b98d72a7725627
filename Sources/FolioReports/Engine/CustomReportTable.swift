import FolioRML
import Foundation

/// The rows of a custom chart report as the chart needs them: a label per row (the first column)
/// and one numeric series per other column; read from a query result, or from the intermediate
/// XML of custom reports (`<report><config>…</config><header>…</header><lines><row><col>…`) when
/// the data is posted or a sample.
struct CustomReportTable {
    var labels: [String]
    var series: [[Double]]
    /// The print date (`config/date`), shown in the footer.
    var date: String?

    init(labels: [String], series: [[Double]], date: String?) {
        self.labels = labels; self.series = series; self.date = date
    }

    init(_ result: CustomReportResult) {
        let width = result.columns.count
        labels = result.rows.map { $0.first ?? "" }
        series = (1..<max(width, 1)).map { c in result.values.map { $0.count > c ? ($0[c] ?? 0) : 0 } }
        date = nil
    }

    /// Reads intermediate XML; a totals row (`total="yes"`) is not charted.
    static func parse(_ xml: Data, fileName: String) throws(ReportError) -> CustomReportTable {
        let root = try DataTemplateParser.parse(xml, fileName: fileName)
        guard root.name == "report" else {
            throw ReportError(.data, "custom report data must have a <report> root, not <\(root.name)>", at: root.location)
        }
        let date = root.elements.first { $0.name == "config" }?.elements.first { $0.name == "date" }.map(Self.text)
        let rows = (root.elements.first { $0.name == "lines" }?.elements ?? []).filter { $0.name == "row" && $0["total"] != "yes" }
        var labels: [String] = []
        var series: [[Double]] = []
        for row in rows {
            let cells = row.elements.filter { $0.name == "col" }
            guard let first = cells.first else { continue }
            labels.append(Self.text(first))
            if series.isEmpty { series = Array(repeating: [], count: max(cells.count - 1, 0)) }
            guard cells.count - 1 == series.count else {
                throw ReportError(.data, "row \(labels.count) has \(cells.count) columns, the first row \(series.count + 1)", at: row.location)
            }
            for (i, cell) in cells.dropFirst().enumerated() {
                let text = Self.text(cell).replacingOccurrences(of: ",", with: "")
                guard let v = text.isEmpty ? 0 : Double(text) else {
                    throw ReportError(.data, "'\(Self.text(cell))' is not a number (column \(i + 2) of a chart)", at: cell.location)
                }
                series[i].append(v)
            }
        }
        return CustomReportTable(labels: labels, series: series, date: date)
    }

    private static func text(_ node: TemplateNode) -> String {
        node.children.map { content -> String in
            switch content {
            case .text(let t): return t
            case .element(let e): return text(e)
            }
        }.joined().trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
