import Foundation

/// A `RecordSource` reading PostgreSQL tables through a model mapping: one query per model and
/// batch of up to 1000 ids (`WHERE id = ANY($1::bigint[])`), ids and values always bound, table and
/// column names validated and quoted. Sets the connection's `DateStyle` to ISO so dates and
/// datetimes read as `2007-09-14` / `2007-09-14 10:32:05`.
public final class PostgresRecordSource: RecordSource {
    public let mapping: ModelMapping
    public let connection: PostgresConnection
    static let batch = 1000

    public init(connection: PostgresConnection, mapping: ModelMapping) throws(ReportError) {
        try mapping.validate()
        self.connection = connection
        self.mapping = mapping
        _ = try connection.rows("SET DateStyle TO 'ISO, YMD'")
    }

    /// A PostgreSQL array literal of ids, bound as one parameter.
    static func idArray<S: Sequence>(_ ids: S) -> String where S.Element == Int64 {
        "{" + ids.map(String.init).joined(separator: ",") + "}"
    }

    private static func chunks(_ ids: [Int64]) -> [[Int64]] {
        var seen = Set<Int64>()
        let unique = ids.filter { seen.insert($0).inserted }
        return stride(from: 0, to: unique.count, by: batch).map { Array(unique[$0..<min($0 + batch, unique.count)]) }
    }

    public func existing(_ model: String, ids: [Int64]) throws(ReportError) -> [Int64] {
        let m = try mapping.model(model)
        let table = try SQLIdentifier.quoteQualified(m.table)
        let idc = try SQLIdentifier.quote(m.idColumnName)
        var found = Set<Int64>()
        for chunk in Self.chunks(ids) {
            for row in try connection.rows("SELECT \(idc) FROM \(table) WHERE \(idc) = ANY($1::bigint[])", [Self.idArray(chunk)]) {
                if let v = row.values[0], let id = Int64(v) { found.insert(id) }
            }
        }
        return ids.filter { found.contains($0) }
    }

    public func read(_ model: String, ids: [Int64], fields: [String]) throws(ReportError) -> [Int64: [String: DataValue]] {
        let m = try mapping.model(model)
        let table = try SQLIdentifier.quoteQualified(m.table)
        let idc = try SQLIdentifier.quote(m.idColumnName)
        var columns: [String] = [idc]
        var defs: [(String, ModelMapping.Field)] = []
        for name in fields {
            let field = try mapping.field(name, of: model)
            if field.type.isToMany {
                throw ReportError(.definition, "\(model).\(name) is a \(field.type.rawValue): use related()")
            }
            columns.append(try SQLIdentifier.quote(field.columnName(name)))
            defs.append((name, field))
        }
        var out: [Int64: [String: DataValue]] = [:]
        for chunk in Self.chunks(ids) {
            let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(idc) = ANY($1::bigint[])"
            try connection.stream(sql, [Self.idArray(chunk)]) { (row: PostgresRow) throws(ReportError) in
                guard let idText = row.values[0], let id = Int64(idText) else { return }
                var values: [String: DataValue] = [:]
                for (i, (name, field)) in defs.enumerated() {
                    values[name] = DataValue.fromSQL(row.values[i + 1], type: field.type, target: field.target)
                }
                out[id] = values
            }
        }
        return out
    }

    public func related(_ model: String, field name: String, ids: [Int64]) throws(ReportError) -> [Int64: [Int64]] {
        let field = try mapping.field(name, of: model)
        guard field.type.isToMany, let target = field.target else {
            throw ReportError(.definition, "\(model).\(name) is not a one2many or many2many field")
        }
        let sql: String
        if field.type == .one2many {
            let tm = try mapping.model(target)
            let table = try SQLIdentifier.quoteQualified(tm.table)
            let idc = try SQLIdentifier.quote(tm.idColumnName)
            let inv = try SQLIdentifier.quote(field.inverse!)
            sql = "SELECT \(inv), \(idc) FROM \(table) WHERE \(inv) = ANY($1::bigint[]) ORDER BY \(idc)"
        } else {
            let link = try SQLIdentifier.quoteQualified(field.linkTable!)
            let s = try SQLIdentifier.quote(field.sourceColumn!)
            let t = try SQLIdentifier.quote(field.targetColumn!)
            sql = "SELECT \(s), \(t) FROM \(link) WHERE \(s) = ANY($1::bigint[]) ORDER BY \(t)"
        }
        var out: [Int64: [Int64]] = [:]
        for chunk in Self.chunks(ids) {
            try connection.stream(sql, [Self.idArray(chunk)]) { (row: PostgresRow) throws(ReportError) in
                guard let a = row.values[0].flatMap({ Int64($0) }), let b = row.values[1].flatMap({ Int64($0) }) else { return }
                out[a, default: []].append(b)
            }
        }
        return out
    }

    public func attachments(_ model: String, id: Int64) throws(ReportError) -> [RecordAttachment] {
        guard let a = mapping.attachments else { return [] }
        let table = try SQLIdentifier.quoteQualified(a.table)
        let idc = try SQLIdentifier.quote(a.idColumn ?? "id")
        let fname = try a.fileNameColumn.map { (c: String) throws(ReportError) in try SQLIdentifier.quote(c) } ?? "NULL"
        let sql = """
            SELECT \(try SQLIdentifier.quote(a.nameColumn)), \(fname), \(try SQLIdentifier.quote(a.dataColumn)) \
            FROM \(table) WHERE \(try SQLIdentifier.quote(a.modelColumn)) = $1 \
            AND \(try SQLIdentifier.quote(a.recordColumn)) = $2::bigint ORDER BY \(idc)
            """
        return try connection.rows(sql, [model, String(id)]).map { row in
            RecordAttachment(name: row.values[0] ?? "", fileName: row.values[1], data: Self.decodeBinary(row.values[2]))
        }
    }

    /// bytea in hex output format (`\x89504e…`), or base64 text as OpenERP stored files.
    static func decodeBinary(_ text: String?) -> Data {
        guard let text else { return Data() }
        if text.hasPrefix("\\x") {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count / 2)
            var high: UInt8?
            for c in text.utf8.dropFirst(2) {
                let v: UInt8
                switch c {
                case 48...57: v = c - 48
                case 97...102: v = c - 87
                case 65...70: v = c - 55
                default: continue
                }
                if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
            }
            return Data(bytes)
        }
        return Data(base64Encoded: text, options: .ignoreUnknownCharacters) ?? Data(text.utf8)
    }
}
