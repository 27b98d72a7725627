/// A custom report: a report defined as data, with no programming (OpenERP's "custom reports").
///
/// Written as JSON or YAML in a report package. Tables are rendered through the stylesheet Folio
/// ships in the `base` package, so custom and XSL reports share one pipeline; charts are drawn by
/// Folio as vector graphics.
public struct CustomReportDefinition: Codable, Sendable, Equatable {
    /// How the report presents its rows.
    public enum Kind: String, Codable, Sendable { case table, pie, bar, line }
    /// Paper format.
    public enum PageFormat: String, Codable, Sendable { case a4 = "A4", a5 = "A5" }
    public enum Orientation: String, Codable, Sendable { case portrait, landscape }
    /// Aggregate applied to a column (for grouped rows and the totals line).
    public enum Operation: String, Codable, Sendable { case sum, avg, count, min, max }
    /// Date bucket for chart axes.
    public enum DateBucket: String, Codable, Sendable { case year, month, day }
    public enum Alignment: String, Codable, Sendable { case left, center, right }

    /// A row filter on a column: `field op value` (op: =, !=, <, <=, >, >=, like, ilike, in).
    public struct Filter: Codable, Sendable, Equatable {
        public var op: String
        public var value: String
        public init(op: String, value: String) { self.op = op; self.value = value }
    }

    /// One column of the report.
    public struct Column: Codable, Sendable, Equatable {
        public var title: String
        /// A field path of up to four relation steps from the model, e.g. `partner_id.country_id.name`.
        public var field: String
        public var filters: [Filter]?
        public var align: Alignment?
        /// Width in millimetres; 0 or absent = share of the remaining width.
        public var width: Double?
        public var operation: Operation?
        public var groupBy: Bool?
        /// Colour of the column's series in charts (any RML colour).
        public var color: String?
        /// Charts: accumulate values along the axis.
        public var cumulate: Bool?
        /// Charts: bucket dates on the first column.
        public var dateBucket: DateBucket?
        public init(title: String, field: String) { self.title = title; self.field = field }
    }

    public var name: String
    public var title: String
    /// The model whose records are listed (mapped onto tables by the package's model mapping) …
    public var model: String?
    /// … or an SQL view or table to read rows from directly.
    public var view: String?
    public var type: Kind
    public var format: PageFormat?
    public var orientation: Orientation?
    public var footer: String?
    /// Column title or field path to sort on; prefix with `-` for descending.
    public var sort: String?
    public var limit: Int?
    public var columns: [Column]

    public init(name: String, title: String, type: Kind, columns: [Column]) {
        self.name = name; self.title = title; self.type = type; self.columns = columns
    }
}
