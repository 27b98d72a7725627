import Foundation

/// A `RecordSource` over tables held in memory, interpreting the model mapping exactly as the
/// PostgreSQL source does (same tables, columns, foreign keys and link tables). For unit tests and
/// for data that does not live in a database.
///
/// Rows are keyed by column name; a foreign key is an `.int` id, NULL is `.null` or absent.
public struct InMemoryRecordSource: RecordSource, Sendable {
    public let mapping: ModelMapping
    public var tables: [String: [[String: DataValue]]]

    public init(mapping: ModelMapping, tables: [String: [[String: DataValue]]] = [:]) {
        self.mapping = mapping
        self.tables = tables
    }

    /// Adds a row to a table.
    public mutating func insert(_ table: String, _ row: [String: DataValue]) {
        tables[table, default: []].append(row)
    }

    private func rowsByID(_ model: String) throws(ReportError) -> (ModelMapping.Model, [Int64: [String: DataValue]]) {
        let m = try mapping.model(model)
        var byID: [Int64: [String: DataValue]] = [:]
        for row in tables[m.table] ?? [] {
            if let id = Self.int(row[m.idColumnName]) { byID[id] = row }
        }
        return (m, byID)
    }

    public func existing(_ model: String, ids: [Int64]) throws(ReportError) -> [Int64] {
        let (_, byID) = try rowsByID(model)
        return ids.filter { byID[$0] != nil }
    }

    public func read(_ model: String, ids: [Int64], fields: [String]) throws(ReportError) -> [Int64: [String: DataValue]] {
        let (m, byID) = try rowsByID(model)
        var out: [Int64: [String: DataValue]] = [:]
        for id in ids {
            guard let row = byID[id] else { continue }
            var values: [String: DataValue] = [:]
            for name in fields {
                let field = try mapping.field(name, of: model)
                if field.type.isToMany {
                    throw ReportError(.definition, "\(model).\(name) is a \(field.type.rawValue): use related()")
                }
                let raw = row[field.columnName(name)] ?? .null
                values[name] = Self.typed(raw, field: field, idColumn: name == "id" ? m.idColumnName : nil)
            }
            out[id] = values
        }
        return out
    }

    public func related(_ model: String, field name: String, ids: [Int64]) throws(ReportError) -> [Int64: [Int64]] {
        let field = try mapping.field(name, of: model)
        guard field.type.isToMany, let target = field.target else {
            throw ReportError(.definition, "\(model).\(name) is not a one2many or many2many field")
        }
        let tm = try mapping.model(target)
        var out: [Int64: [Int64]] = [:]
        let wanted = Set(ids)
        if field.type == .one2many {
            for row in tables[tm.table] ?? [] {
                guard let owner = Self.int(row[field.inverse!]), wanted.contains(owner),
                      let id = Self.int(row[tm.idColumnName]) else { continue }
                out[owner, default: []].append(id)
            }
        } else {
            for row in tables[field.linkTable!] ?? [] {
                guard let owner = Self.int(row[field.sourceColumn!]), wanted.contains(owner),
                      let id = Self.int(row[field.targetColumn!]) else { continue }
                out[owner, default: []].append(id)
            }
        }
        for (k, v) in out { out[k] = v.sorted() }
        return out
    }

    public func attachments(_ model: String, id: Int64) throws(ReportError) -> [RecordAttachment] {
        guard let a = mapping.attachments else { return [] }
        var found: [(Int64, RecordAttachment)] = []
        for row in tables[a.table] ?? [] {
            guard case .string(let m)? = row[a.modelColumn], m == model, Self.int(row[a.recordColumn]) == id else { continue }
            let data: Data
            switch row[a.dataColumn] {
            case .string(let s)?: data = Data(base64Encoded: s) ?? Data(s.utf8)
            default: data = Data()
            }
            var name = ""
            if case .string(let n)? = row[a.nameColumn] { name = n }
            var fileName: String?
            if let fc = a.fileNameColumn, case .string(let f)? = row[fc] { fileName = f }
            found.append((Self.int(row[a.idColumn ?? "id"]) ?? 0, RecordAttachment(name: name, fileName: fileName, data: data)))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    static func int(_ v: DataValue?) -> Int64? {
        switch v {
        case .int(let i)?: return i
        case .record(_, let i)?: return i
        case .double(let d)?: return Int64(exactly: d)
        case .string(let s)?: return Int64(s)
        default: return nil
        }
    }

    private static func typed(_ raw: DataValue, field: ModelMapping.Field, idColumn: String?) -> DataValue {
        if raw == .null { return .null }
        switch field.type {
        case .many2one:
            guard let id = int(raw) else { return .null }
            return .record(model: field.target!, id: id)
        case .integer:
            return int(raw).map(DataValue.int) ?? raw
        case .float, .numeric, .monetary:
            switch raw {
            case .int(let i): return .double(Double(i))
            case .string(let s): return Double(s).map(DataValue.double) ?? raw
            default: return raw
            }
        default:
            return raw
        }
    }
}
