import Foundation

/// Turns a `CustomReportDefinition` into one SQL query and its rows, then into the intermediate XML
/// OpenERP's `custom_new.xsl` reads.
///
/// - Source: `model` (through the model mapping; the model's table is `t0`) or `view` (an SQL table
///   or view read directly; column fields are then plain column names).
/// - Columns: field paths of up to four many2one steps, each step a `LEFT JOIN` shared by columns
///   with the same prefix; a many2one at the end shows the target's name (`recName`); a
///   one2many/many2many step is an error (it would multiply rows).
/// - Filters: `=`, `!=` (NULL-aware), `<`, `<=`, `>`, `>=`, `like`/`ilike` (substring, `%`/`_`
///   wildcards), `in` (comma-separated values), on the row values before grouping, every value a bound
///   parameter, checked against the field's type first. A bad filter fails the whole report with the
///   column's title in the message.
/// - Grouping: when some column has `groupBy`, rows are grouped by those columns and every other
///   column must have an operation (`sum`, `avg`, `count`, `min`, `max`) — otherwise an error names
///   the column. Without grouping, the operations give a totals line over the listed rows.
/// - Sort: a column title or field path, `-` prefix for descending; ties are broken by the grouped
///   columns (or the record id), so output is deterministic. `limit` (> 0) bounds the rows.
/// - Charts: `dateBucket` on a date column buckets it (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`);
///   `cumulate` turns a numeric column into running totals. Pie: exactly two columns, the second
///   numeric; bar and line: two or more, all but the first numeric.
public struct CustomReportQuery: Sendable {
    public let definition: CustomReportDefinition
    /// The query (select list `c0, c1, …`), and its bound parameters.
    public let sql: String
    public let parameters: [String?]
    /// The totals line's query (ungrouped reports with operations), same parameters.
    public let totalsSQL: String?
    let knownNumeric: [Bool?]

    public init(_ definition: CustomReportDefinition, mapping: ModelMapping?) throws(ReportError) {
        self.definition = definition
        var builder = CustomReportSQLBuilder(definition: definition, mapping: mapping)
        try builder.build()
        sql = builder.sql
        parameters = builder.parameters
        totalsSQL = builder.totalsSQL
        knownNumeric = builder.numeric
    }

    /// Runs the query (rows streamed in single-row mode).
    public func run(on connection: PostgresConnection) throws(ReportError) -> CustomReportResult {
        var rows: [[String]] = []
        var values: [[Double?]] = []
        var oids: [UInt32] = []
        do {
            try connection.stream(sql, parameters) { (row: PostgresRow) throws(ReportError) in
                if oids.isEmpty { oids = row.types }
                rows.append(zip(row.values, row.types).map { Self.format($0.0, oid: $0.1) })
                values.append(zip(row.values, row.types).map { Self.number($0.0, oid: $0.1) })
            }
        } catch {
            throw ReportError(error.kind, "custom report '\(definition.name)': \(error.message)")
        }
        var numeric = knownNumeric.map { $0 ?? false }
        if !oids.isEmpty { numeric = oids.map { Self.numericOIDs.contains($0) } }
        var totals: [String]?
        if let totalsSQL {
            do {
                if let row = try connection.rows(totalsSQL, parameters).first {
                    totals = zip(row.values, row.types).map { Self.format($0.0, oid: $0.1) }
                }
            } catch {
                throw ReportError(error.kind, "custom report '\(definition.name)' (totals): \(error.message)")
            }
        }
        var result = CustomReportResult(definition: definition, rows: rows, values: values, numeric: numeric, totals: totals)
        try result.finishCharts()
        return result
    }

    static let numericOIDs: Set<UInt32> = [20, 21, 23, 26, 700, 701, 1700]

    /// Python `str()` of the value as OpenERP printed it: NULL → '', floats like `4312.5`.
    static func format(_ text: String?, oid: UInt32) -> String {
        guard let text else { return "" }
        switch oid {
        case 700, 701, 1700: return Double(text).map(DataValue.pythonString) ?? text
        case 16: return text == "t" ? "True" : "False"
        default: return text
        }
    }

    static func number(_ text: String?, oid: UInt32) -> Double? {
        guard let text, numericOIDs.contains(oid) else { return nil }
        return Double(text)
    }
}

/// A custom report's rows and layout, ready for the table stylesheet (`xmlData`) or a chart.
public struct CustomReportResult: Sendable {
    public struct Column: Sendable, Equatable {
        public var title: String
        public var align: CustomReportDefinition.Alignment
        /// Width in millimetres (shares of the free width resolved).
        public var width: Double
        public var numeric: Bool
        public var color: String?
    }

    public let definition: CustomReportDefinition
    public private(set) var columns: [Column] = []
    /// Cell texts, as printed.
    public private(set) var rows: [[String]]
    /// Cell values of numeric columns (`nil` elsewhere and for NULL), for charts.
    public private(set) var values: [[Double?]]
    /// The totals line of an ungrouped report with operations (empty cells for other columns).
    public let totals: [String]?

    /// Page size in millimetres (portrait A4 210×297, A5 148×210; landscape swaps them).
    public var pageSize: (width: Double, height: Double) {
        let (w, h): (Double, Double) = (definition.format ?? .a4) == .a5 ? (148, 210) : (210, 297)
        return (definition.orientation ?? .portrait) == .landscape ? (h, w) : (w, h)
    }

    init(definition: CustomReportDefinition, rows: [[String]], values: [[Double?]], numeric: [Bool], totals: [String]?) {
        self.definition = definition
        self.rows = rows
        self.values = values
        self.totals = totals
        let page = (definition.format ?? .a4) == .a5 ? (148.0, 210.0) : (210.0, 297.0)
        let pageWidth = (definition.orientation ?? .portrait) == .landscape ? page.1 : page.0
        let fixed = definition.columns.compactMap { ($0.width ?? 0) > 0 ? $0.width : nil }.reduce(0, +)
        let free = definition.columns.filter { ($0.width ?? 0) <= 0 }.count
        let share = free > 0 ? max(0, pageWidth - 30 - fixed) / Double(free) : 0
        columns = definition.columns.enumerated().map { i, c in
            let isNumeric = i < numeric.count ? numeric[i] : false
            return Column(title: c.title, align: c.align ?? (isNumeric ? .right : .left),
                          width: (c.width ?? 0) > 0 ? c.width! : share, numeric: isNumeric, color: c.color)
        }
    }

    mutating func finishCharts() throws(ReportError) {
        let d = definition
        guard d.type != .table else { return }
        let name = "custom report '\(d.name)'"
        switch d.type {
        case .pie:
            guard columns.count == 2 else { throw ReportError(.definition, "\(name): a pie chart needs exactly two columns") }
            if !rows.isEmpty && !columns[1].numeric {
                throw ReportError(.definition, "\(name): the second column of a pie chart ('\(columns[1].title)') must be numeric")
            }
        default:
            guard columns.count >= 2 else { throw ReportError(.definition, "\(name): a \(d.type.rawValue) chart needs at least two columns") }
            if !rows.isEmpty, let bad = columns.dropFirst().first(where: { !$0.numeric }) {
                throw ReportError(.definition, "\(name): column '\(bad.title)' of a \(d.type.rawValue) chart must be numeric")
            }
        }
        for (c, col) in d.columns.enumerated() where col.cumulate == true && columns[c].numeric {
            var running = 0.0
            var allIntegers = true
            for r in rows.indices {
                running += values[r][c] ?? 0
                values[r][c] = running
                if rows[r][c].contains(".") || rows[r][c].contains("e") { allIntegers = false }
                rows[r][c] = allIntegers && running.rounded() == running && abs(running) < 1e15
                    ? String(Int64(running)) : DataValue.pythonString(running)
            }
        }
    }

    /// The intermediate XML of OpenERP's custom reports (`custom_new.xsl`):
    /// `<report><config>date, PageSize, PageFormat, PageOrientation, PageWidth, PageHeight (points),
    /// tableSize (mm widths), tableAlign, report-header, report-footer, report-type</config>
    /// <header><field>title</field>…</header><lines><row><col tree="no">…</col>…</row>…</lines></report>`;
    /// the totals line is a last `<row total="yes">`.
    public func xmlData(date: Date = Date(), timeZone: TimeZone = .current) -> Data {
        element(date: date, timeZone: timeZone).xmlData()
    }

    public func element(date: Date = Date(), timeZone: TimeZone = .current) -> DataElement {
        func leaf(_ n: String, _ v: String) -> DataNode { .element(DataElement(n, text: v)) }
        func mm(_ v: Double) -> String { String(format: "%.2fmm", v) }
        let page = pageSize
        let today = (try? DateFormatting.strftime("%d/%m/%Y", date, timeZone: timeZone)) ?? ""
        let config = DataElement("config", children: [
            leaf("date", today),
            leaf("PageSize", "\(mm(page.width)),\(mm(page.height))"),
            leaf("PageFormat", (definition.format ?? .a4).rawValue),
            leaf("PageOrientation", (definition.orientation ?? .portrait).rawValue),
            leaf("PageWidth", String(format: "%.2f", page.width * 2.8346)),
            leaf("PageHeight", String(format: "%.2f", page.height * 2.8346)),
            leaf("tableSize", columns.map { mm($0.width) }.joined(separator: ",")),
            leaf("tableAlign", columns.map(\.align.rawValue).joined(separator: ",")),
            leaf("report-header", definition.title),
            leaf("report-footer", definition.footer ?? ""),
            leaf("report-type", definition.type.rawValue),
        ])
        let header = DataElement("header", children: columns.map { leaf("field", $0.title) })
        var lines = DataElement("lines")
        func row(_ cells: [String], total: Bool) -> DataElement {
            DataElement("row", attributes: total ? [DataAttribute("total", "yes")] : [],
                        children: cells.map { .element(DataElement("col", text: $0, attributes: [DataAttribute("tree", "no")])) })
        }
        for r in rows { lines.append(row(r, total: false)) }
        if let totals { lines.append(row(totals, total: true)) }
        return DataElement("report", children: [.element(config), .element(header), .element(lines)])
    }
}

/// Builds the SQL of a custom report.
struct CustomReportSQLBuilder {
    let definition: CustomReportDefinition
    let mapping: ModelMapping?
    var sql = ""
    var totalsSQL: String?
    var parameters: [String?] = []
    var numeric: [Bool?] = []
    private var joins: [String] = []
    private var aliases: [String: (alias: String, model: String)] = [:]
    private var baseModel: String?

    init(definition: CustomReportDefinition, mapping: ModelMapping?) {
        self.definition = definition
        self.mapping = mapping
    }

    private var name: String { "custom report '\(definition.name)'" }

    private func fail(_ message: String, column: CustomReportDefinition.Column? = nil) -> ReportError {
        if let column { return ReportError(.definition, "\(name), column '\(column.title)': \(message)") }
        return ReportError(.definition, "\(name): \(message)")
    }

    private mutating func bind(_ value: String) -> String {
        parameters.append(value)
        return "$\(parameters.count)"
    }

    mutating func build() throws(ReportError) {
        let d = definition
        guard !d.columns.isEmpty else { throw fail("no columns") }
        guard d.columns.count <= 100 else { throw fail("too many columns") }
        let from: String
        switch (d.model, d.view) {
        case (let model?, nil):
            guard let mapping else { throw fail("a model mapping is needed for model '\(model)'") }
            let m = try mapping.model(model)
            baseModel = model
            from = "\(try SQLIdentifier.quoteQualified(m.table)) t0"
        case (nil, let view?):
            from = "\(try SQLIdentifier.quoteQualified(view, what: "view")) t0"
        case (nil, nil): throw fail("give a 'model' or a 'view'")
        default: throw fail("give either a 'model' or a 'view', not both")
        }

        var exprs: [String] = []
        var types: [ModelMapping.FieldType?] = []
        var wheres: [String] = []
        for column in d.columns {
            var (expr, type) = try columnExpression(column)
            for filter in column.filters ?? [] {
                wheres.append(try condition(expr, type: type, filter: filter, column: column))
            }
            if let bucket = column.dateBucket {
                if let t = type, t != .date && t != .datetime {
                    throw fail("a date bucket needs a date or datetime field", column: column)
                }
                let (unit, format) = switch bucket {
                case .year: ("year", "YYYY")
                case .month: ("month", "YYYY-MM")
                case .day: ("day", "YYYY-MM-DD")
                }
                expr = "to_char(date_trunc('\(unit)', \(expr)), '\(format)')"
                type = .char
            }
            exprs.append(expr)
            types.append(type)
        }

        let grouped = d.columns.contains { $0.groupBy == true }
        var select: [String] = []
        var groupPositions: [Int] = []
        for (i, column) in d.columns.enumerated() {
            let expr = exprs[i]
            if grouped {
                if column.groupBy == true {
                    if column.operation != nil {
                        throw fail("a grouped column cannot also have an operation", column: column)
                    }
                    groupPositions.append(i + 1)
                    select.append("\(expr) AS c\(i)")
                    numeric.append(types[i].map(\.isNumeric))
                } else {
                    guard let op = column.operation else {
                        throw fail("the report is grouped, but this column is neither grouped nor aggregated: give it an operation (sum, avg, count, min, max) or group by it", column: column)
                    }
                    select.append("\(try aggregate(op, expr, type: types[i], column: column)) AS c\(i)")
                    numeric.append(op == .count || op == .sum || op == .avg ? true : types[i].map(\.isNumeric))
                }
            } else {
                if let op = column.operation { _ = try aggregate(op, expr, type: types[i], column: column) }
                select.append("\(expr) AS c\(i)")
                numeric.append(types[i].map(\.isNumeric))
            }
        }

        var query = "SELECT \(select.joined(separator: ", ")) FROM \(from)"
        for j in joins { query += " " + j }
        if !wheres.isEmpty { query += " WHERE " + wheres.joined(separator: " AND ") }
        if grouped { query += " GROUP BY " + groupPositions.map(String.init).joined(separator: ", ") }

        var order: [String] = []
        var used = Set<Int>()
        if let sort = d.sort?.trimmingCharacters(in: .whitespaces), !sort.isEmpty {
            let desc = sort.hasPrefix("-")
            let key = desc ? String(sort.dropFirst()).trimmingCharacters(in: .whitespaces) : sort
            guard let index = d.columns.firstIndex(where: { $0.title == key }) ?? d.columns.firstIndex(where: { $0.field == key }) else {
                throw fail("sort '\(sort)' names no column (give a column title or field, '-' for descending)")
            }
            order.append("\(index + 1)\(desc ? " DESC" : "")")
            used.insert(index + 1)
        }
        if grouped {
            for p in groupPositions where !used.contains(p) { order.append(String(p)) }
        } else if let model = baseModel, let m = mapping?.models[model] {
            order.append("t0.\(try SQLIdentifier.quote(m.idColumnName))")
        } else {
            for p in 1...d.columns.count where !used.contains(p) { order.append(String(p)) }
        }
        query += " ORDER BY " + order.joined(separator: ", ")
        if let limit = d.limit {
            guard limit >= 0 else { throw fail("limit must not be negative") }
            if limit > 0 { query += " LIMIT \(bind(String(limit)))::bigint" }
        }
        sql = query

        if !grouped, d.columns.contains(where: { $0.operation != nil }) {
            var totals: [String] = []
            for (i, column) in d.columns.enumerated() {
                if let op = column.operation {
                    totals.append("\(try aggregate(op, "s.c\(i)", type: types[i], column: column)) AS c\(i)")
                } else {
                    totals.append("NULL AS c\(i)")
                }
            }
            totalsSQL = "SELECT \(totals.joined(separator: ", ")) FROM (\(query)) s"
        }
    }

    private func aggregate(_ op: CustomReportDefinition.Operation, _ expr: String, type: ModelMapping.FieldType?,
                           column: CustomReportDefinition.Column) throws(ReportError) -> String {
        switch op {
        case .count: return "count(\(expr))"
        case .min: return "min(\(expr))"
        case .max: return "max(\(expr))"
        case .sum, .avg:
            if let type, !type.isNumeric {
                throw fail("\(op.rawValue) needs a numeric field, not a \(type.rawValue)", column: column)
            }
            return "\(op.rawValue)(\(expr))"
        }
    }

    /// The SQL expression of a column and the mapped type of its value (nil for views).
    private mutating func columnExpression(_ column: CustomReportDefinition.Column) throws(ReportError) -> (String, ModelMapping.FieldType?) {
        let steps = column.field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !steps.isEmpty, steps.allSatisfy(SQLIdentifier.isValid) else {
            throw fail("invalid field path '\(column.field)'", column: column)
        }
        guard let baseModel, let mapping else {
            guard steps.count == 1 else { throw fail("columns of a view are plain column names, not paths", column: column) }
            return ("t0.\(try SQLIdentifier.quote(steps[0]))", nil)
        }
        guard steps.count <= 5 else { throw fail("more than four relation steps in '\(column.field)'", column: column) }
        var alias = "t0"
        var model = baseModel
        for (i, step) in steps.enumerated() {
            let last = i == steps.count - 1
            let field: ModelMapping.Field
            do { field = try mapping.field(step, of: model) } catch { throw fail(error.message, column: column) }
            if field.type.isToMany {
                throw fail("'\(step)' is a \(field.type.rawValue): columns can only follow many2one relations", column: column)
            }
            if field.type != .many2one {
                guard last else { throw fail("'\(step)' of \(model) is not a relation (in '\(column.field)')", column: column) }
                return ("\(alias).\(try SQLIdentifier.quote(field.columnName(step)))", field.type)
            }
            let key = steps[0...i].joined(separator: ".")
            let target = field.target!
            if let existing = aliases[key] {
                alias = existing.alias
            } else {
                let tm = try mapping.model(target)
                let next = "t\(aliases.count + 1)"
                joins.append("LEFT JOIN \(try SQLIdentifier.quoteQualified(tm.table)) \(next) ON \(next).\(try SQLIdentifier.quote(tm.idColumnName)) = \(alias).\(try SQLIdentifier.quote(field.columnName(step)))")
                aliases[key] = (next, target)
                alias = next
            }
            model = target
            if last {
                let tm = try mapping.model(target)
                let rec = tm.recNameField
                if let rf = tm.fields[rec], rf.type != .many2one, !rf.type.isToMany {
                    return ("\(alias).\(try SQLIdentifier.quote(rf.columnName(rec)))", rf.type)
                }
                return ("\(alias).\(try SQLIdentifier.quote(tm.idColumnName))", .integer)
            }
        }
        throw fail("invalid field path '\(column.field)'", column: column)
    }

    /// One filter as SQL with bound values, after checking them against the field's type.
    private mutating func condition(_ expr: String, type: ModelMapping.FieldType?, filter: CustomReportDefinition.Filter,
                                    column: CustomReportDefinition.Column) throws(ReportError) -> String {
        let op = filter.op.trimmingCharacters(in: .whitespaces).lowercased()
        func check(_ value: String) throws(ReportError) -> String {
            guard let type else { return value }
            let v = value.trimmingCharacters(in: .whitespaces)
            if type == .integer {
                guard Int64(v) != nil else { throw fail("filter value '\(value)' is not an integer", column: column) }
                return v
            }
            if type.isNumeric {
                guard let d = Double(v), d.isFinite else { throw fail("filter value '\(value)' is not a number", column: column) }
                return v
            }
            if type == .boolean {
                switch v.lowercased() {
                case "true", "t", "1", "yes": return "true"
                case "false", "f", "0", "no": return "false"
                default: throw fail("filter value '\(value)' is not a boolean", column: column)
                }
            }
            if type == .date || type == .datetime {
                guard DateFormatting.parseISO(v) != nil else {
                    throw fail("filter value '\(value)' is not a date (YYYY-MM-DD[ HH:MM:SS])", column: column)
                }
                return v
            }
            return value
        }
        switch op {
        case "=", "==": return "\(expr) = \(bind(try check(filter.value)))"
        case "!=", "<>": return "\(expr) IS DISTINCT FROM \(bind(try check(filter.value)))"
        case "<", "<=", ">", ">=": return "\(expr) \(op) \(bind(try check(filter.value)))"
        case "like", "ilike":
            return "\(expr)::text \(op.uppercased()) '%' || \(bind(filter.value)) || '%'"
        case "not like", "not ilike":
            return "\(expr)::text \(op.uppercased()) '%' || \(bind(filter.value)) || '%'"
        case "in", "not in":
            let items = filter.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty else { return op == "in" ? "FALSE" : "TRUE" }
            guard items.count <= 1000 else { throw fail("more than 1000 values in an 'in' filter", column: column) }
            var placeholders: [String] = []
            for item in items { placeholders.append(bind(try check(item))) }
            return "\(expr) \(op == "in" ? "IN" : "NOT IN") (\(placeholders.joined(separator: ", ")))"
        default:
            throw fail("unknown filter operator '\(filter.op)' (use =, !=, <, <=, >, >=, like, ilike, in)", column: column)
        }
    }
}
