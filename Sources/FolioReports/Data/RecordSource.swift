import Foundation

/// A field's value as data templates and expressions see it.
public enum DataValue: Sendable, Hashable {
    /// SQL NULL, OpenERP's `False` for an empty field.
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    /// A many2one value: the related record.
    case record(model: String, id: Int64)
    /// A one2many or many2many value: the related records, in id order.
    case records(model: String, ids: [Int64])

    /// OpenERP's notion of an empty value (`value or ''`): NULL, false, the empty string, no records.
    /// Numbers, including zero, are not empty.
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .bool(let b): return !b
        case .string(let s): return s.isEmpty
        case .records(_, let ids): return ids.isEmpty
        default: return false
        }
    }

    /// The text a data template prints for a scalar: `''` for empty values, integers as digits,
    /// floating-point numbers as Python 2's `str()` did (`10.0`, `4312.5`, 12 significant digits),
    /// `True` for true. Records print as their id here; templates print a record's name instead.
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "True" : ""
        case .int(let i): return String(i)
        case .double(let d): return DataValue.pythonString(d)
        case .string(let s): return s
        case .record(_, let id): return String(id)
        case .records(_, let ids): return ids.first.map(String.init) ?? ""
        }
    }

    /// Python 2 `str(float)`: `%.12g`, with `.0` added to integral values.
    public static func pythonString(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var s = String(format: "%.12g", d)
        if !s.contains(".") && !s.contains("e") { s += ".0" }
        return s
    }

    /// Converts a PostgreSQL text value according to a mapped field type.
    static func fromSQL(_ text: String?, type: ModelMapping.FieldType, target: String?) -> DataValue {
        guard let text else { return .null }
        switch type {
        case .integer: return Int64(text).map(DataValue.int) ?? .string(text)
        case .float, .numeric, .monetary: return Double(text).map(DataValue.double) ?? .string(text)
        case .boolean: return .bool(text == "t" || text == "true" || text == "1")
        case .many2one:
            guard let id = Int64(text), let target else { return .null }
            return .record(model: target, id: id)
        default: return .string(text)
        }
    }
}

/// A file attached to a record (OpenERP's `ir.attachment`).
public struct RecordAttachment: Sendable, Equatable {
    public var name: String
    public var fileName: String?
    public var data: Data

    public init(name: String, fileName: String? = nil, data: Data) {
        self.name = name; self.fileName = fileName; self.data = data
    }

    /// PNG, JPEG or GIF, by content.
    public var isImage: Bool {
        let b = [UInt8](data.prefix(4))
        if b.count >= 4 && b[0] == 0x89 && b[1] == 0x50 && b[2] == 0x4E && b[3] == 0x47 { return true }
        if b.count >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF { return true }
        if b.count >= 3 && b[0] == 0x47 && b[1] == 0x49 && b[2] == 0x46 { return true }
        return false
    }
}

/// Where data templates and data providers read records from. Interprets a `ModelMapping`; the
/// PostgreSQL implementation reads in batches (`WHERE id = ANY($1)`), the in-memory one serves tests.
public protocol RecordSource {
    var mapping: ModelMapping { get }

    /// The ids among `ids` that exist, in the order given (duplicates kept).
    func existing(_ model: String, ids: [Int64]) throws(ReportError) -> [Int64]

    /// Scalar and many2one fields of records (a many2one as `.record`). Records that do not exist
    /// are absent from the result; fields that are NULL are `.null`.
    func read(_ model: String, ids: [Int64], fields: [String]) throws(ReportError) -> [Int64: [String: DataValue]]

    /// A one2many or many2many field: the related ids of each record, ascending.
    func related(_ model: String, field: String, ids: [Int64]) throws(ReportError) -> [Int64: [Int64]]

    /// Files attached to a record, in id order.
    func attachments(_ model: String, id: Int64) throws(ReportError) -> [RecordAttachment]
}

extension RecordSource {
    /// Every value a dotted field path reaches from a record: to-many steps fan out (so
    /// `move_lines.product_id.name` gives one value per move), empty many2one steps end the path.
    /// The last step's value is returned as is (a relation as `.record`/`.records`).
    public func values(_ model: String, id: Int64, path: String) throws(ReportError) -> [DataValue] {
        var current: [(model: String, id: Int64)] = [(model, id)]
        let steps = path.split(separator: ".").map(String.init)
        guard !steps.isEmpty else { throw ReportError(.definition, "empty field path") }
        var result: [DataValue] = []
        for (i, step) in steps.enumerated() {
            let last = i == steps.count - 1
            var next: [(model: String, id: Int64)] = []
            // Group by model (always one model per step, but stay general).
            guard let m = current.first?.model else { return [] }
            let ids = current.map(\.id)
            let field = try mapping.field(step, of: m)
            if step == "id" && mapping.models[m]?.fields["id"] == nil {
                if last { return ids.map { .int($0) } }
                throw ReportError(.definition, "'id' of \(m) is not a relation (in path '\(path)')")
            }
            if field.type.isToMany {
                let rel = try related(m, field: step, ids: ids)
                for id in ids {
                    let targets = rel[id] ?? []
                    if last { result.append(.records(model: field.target!, ids: targets)) }
                    next += targets.map { (field.target!, $0) }
                }
            } else {
                let rows = try read(m, ids: ids, fields: [step])
                for id in ids {
                    let v = rows[id]?[step] ?? .null
                    if last { result.append(v) } else if case .record(let t, let rid) = v { next.append((t, rid)) }
                    else if v != .null { throw ReportError(.definition, "'\(step)' of \(m) is not a relation (in path '\(path)')") }
                }
            }
            if last { return result }
            current = next
            if current.isEmpty { return [] }
        }
        return result
    }
}

/// Caches records for one evaluation and prefetches like OpenERP's browse records: when a field of
/// one record is needed, all mapped scalar fields of every record of that model seen so far (up to
/// a batch) are read in one query.
final class RecordCache {
    let source: any RecordSource
    private var rows: [String: [Int64: [String: DataValue]]] = [:]
    private var toMany: [String: [Int64: [Int64]]] = [:]   // "model.field" → id → ids
    private var seen: [String: [Int64]] = [:]
    private var seenSet: [String: Set<Int64>] = [:]
    static let batch = 1000

    init(source: any RecordSource) { self.source = source }

    var mapping: ModelMapping { source.mapping }

    /// Registers ids as candidates for prefetching.
    func note(_ model: String, _ ids: [Int64]) {
        var set = seenSet[model, default: []]
        var list = seen[model, default: []]
        for id in ids where set.insert(id).inserted { list.append(id) }
        seenSet[model] = set
        seen[model] = list
    }

    func value(_ model: String, _ id: Int64, _ fieldName: String) throws(ReportError) -> DataValue {
        let field = try mapping.field(fieldName, of: model)
        if fieldName == "id" && mapping.models[model]?.fields["id"] == nil { return .int(id) }
        if field.type.isToMany {
            let key = model + "." + fieldName
            if toMany[key]?[id] == nil {
                let pending = batchIDs(model, including: id) { self.toMany[key]?[$0] == nil }
                let rel = try source.related(model, field: fieldName, ids: pending)
                var table = toMany[key, default: [:]]
                for p in pending { table[p] = rel[p] ?? [] }
                toMany[key] = table
                let target = field.target!
                note(target, pending.flatMap { table[$0] ?? [] })
            }
            return .records(model: field.target!, ids: toMany[key]?[id] ?? [])
        }
        if rows[model]?[id] == nil {
            let pending = batchIDs(model, including: id) { self.rows[model]?[$0] == nil }
            let m = try mapping.model(model)
            let fields = m.fields.filter { !$0.value.type.isToMany }.map(\.key).sorted()
            let read = try source.read(model, ids: pending, fields: fields)
            var table = rows[model, default: [:]]
            var targets: [String: [Int64]] = [:]
            for p in pending {
                let r = read[p] ?? [:]
                table[p] = r
                for v in r.values { if case .record(let t, let rid) = v { targets[t, default: []].append(rid) } }
            }
            rows[model] = table
            for (t, ids) in targets { note(t, ids) }
        }
        return rows[model]?[id]?[fieldName] ?? .null
    }

    private func batchIDs(_ model: String, including id: Int64, missing: (Int64) -> Bool) -> [Int64] {
        var out = [id]
        for other in seen[model] ?? [] where other != id && missing(other) {
            out.append(other)
            if out.count >= Self.batch { break }
        }
        return out
    }
}
