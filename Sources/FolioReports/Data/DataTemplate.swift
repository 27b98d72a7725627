import FolioRML
import Foundation

/// An OpenERP data template: the XML "which indicates the data you plan to report", evaluated for a
/// model and a list of record ids into the data XML that a report's stylesheet transforms.
///
/// Each element is dispatched on its `type` attribute (OpenERP 4.x–6.0 semantics):
///
/// | type | produces |
/// |---|---|
/// | none | the element (without attributes) and its literal text; children evaluated on the same records |
/// | `fields` | the record loop: records grouped by the values of the comma-separated `name` paths, one element per group, sorted by the key (`order="desc"` reverses); `name="id"` = one element per record, by id |
/// | `field` | `<tag>value</tag>` of the dotted path `name` (a to-many step takes its first record, a relation at the end prints the record's name); empty values give `''` or `default`; floats print like Python (`10.0`); other attributes are copied |
/// | `zoom` | follows the relation `name`: one element per related record (none when empty), children evaluated on it |
/// | `eval` | the value of `expr` in Folio's safe expression language (`SafeExpression`), on the first current record |
/// | `function` | a built-in (`today` = dd/mm/YYYY) or one registered with the evaluator |
/// | `data` | the print request's form value `name` (`datas['form'][name]`), `''` if absent |
/// | `call` | a named data provider's rows: the element is copied once per row, `value="key"` descendants get the row's value; `args` = comma-separated expressions |
/// | `attachment` | the first image attached to the record whose id is the path `name`; the text is a key into `DataDocument.images` |
///
/// The output root is the template's root tag without attributes; the corporate header is then
/// inserted as its first child (on the tree, so an empty root works too).
public struct DataTemplate: Sendable {
    public let root: TemplateNode
    public let fileName: String

    public init(data: Data, fileName: String) throws(ReportError) {
        self.fileName = fileName
        root = try DataTemplateParser.parse(data, fileName: fileName)
    }

    public init(string: String, fileName: String = "<template>") throws(ReportError) {
        try self.init(data: Data(string.utf8), fileName: fileName)
    }

    public static func load(contentsOf path: String) throws(ReportError) -> DataTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError(.notFound, "cannot read data template '\(path)'")
        }
        return try DataTemplate(data: data, fileName: path)
    }
}

/// A print request: which records, the wizard's form values, the clock, the corporate header.
public struct DataRequest: Sendable {
    public var model: String
    public var ids: [Int64]
    /// `datas['form']`: values entered in the print wizard.
    public var form: [String: String]
    public var header: CorporateHeader
    public var now: Date
    public var timeZone: TimeZone

    public init(model: String, ids: [Int64], form: [String: String] = [:], header: CorporateHeader = .none,
                now: Date = Date(), timeZone: TimeZone = .current) {
        self.model = model; self.ids = ids; self.form = form; self.header = header
        self.now = now; self.timeZone = timeZone
    }
}

/// The data XML of a report, plus the images `type="attachment"` nodes refer to.
public struct DataDocument: Sendable {
    public var root: DataElement
    /// Image bytes by the key written in the XML (for RML `<image name="...">`).
    public var images: [String: Data]

    /// Serialized UTF-8 XML with a declaration.
    public func xmlData() -> Data { root.xmlData() }
}

/// What a registered template function (`type="function"`) receives.
public struct TemplateFunctionContext: Sendable {
    public var attributes: [DataAttribute]
    public var now: Date
    public var timeZone: TimeZone
    public var form: [String: String]
}

public typealias TemplateFunction = @Sendable (TemplateFunctionContext) throws(ReportError) -> String

/// Evaluates data templates against a record source.
public struct DataTemplateEvaluator {
    public let source: any RecordSource
    public var providers: DataProviderRegistry
    /// Functions for `type="function"` besides the built-in `today`.
    public var functions: [String: TemplateFunction]
    /// Upper bound on generated elements (a runaway template is an error, not an out-of-memory).
    public var maxElements: Int

    public init(source: any RecordSource, providers: DataProviderRegistry = .standard,
                functions: [String: TemplateFunction] = [:], maxElements: Int = 2_000_000) {
        self.source = source
        self.providers = providers
        self.functions = functions
        self.maxElements = maxElements
    }

    /// Evaluates `template` for the request's records and inserts the corporate header.
    /// Unknown ids are an error of kind `.notFound`.
    public func evaluate(_ template: DataTemplate, request: DataRequest) throws(ReportError) -> DataDocument {
        let run = DataTemplateEvaluation(evaluator: self, request: request)
        var root = try run.document(template, model: request.model, ids: request.ids)
        if let header = try run.header(request.header) {
            root.children.insert(.element(header), at: 0)
        }
        return DataDocument(root: root, images: run.images)
    }
}

/// One evaluation: record cache, parsed expressions, collected images.
final class DataTemplateEvaluation {
    let evaluator: DataTemplateEvaluator
    let request: DataRequest
    let cache: RecordCache
    var images: [String: Data] = [:]
    var expressions: [String: SafeExpression] = [:]
    var elementCount = 0

    struct Records {
        var model: String
        var ids: [Int64]
    }

    enum PathValue {
        case empty
        case scalar(DataValue)
        case record(String, Int64)
        case records(String, [Int64])
    }

    init(evaluator: DataTemplateEvaluator, request: DataRequest) {
        self.evaluator = evaluator
        self.request = request
        self.cache = RecordCache(source: evaluator.source)
    }

    func document(_ template: DataTemplate, model: String, ids: [Int64]) throws(ReportError) -> DataElement {
        _ = try cache.mapping.model(model)
        let existing = try cache.source.existing(model, ids: ids)
        if existing.count != ids.count {
            let missing = Set(ids).subtracting(existing).sorted().prefix(10).map(String.init).joined(separator: ", ")
            throw ReportError(.notFound, "\(model): no record with id \(missing)")
        }
        cache.note(model, ids)
        var out = DataElement(template.root.name)
        try children(of: template.root, Records(model: model, ids: ids), into: &out)
        return out
    }

    func header(_ header: CorporateHeader) throws(ReportError) -> DataElement? {
        switch header {
        case .none:
            return nil
        case .fixed(let info):
            return info.element
        case .user(let id, let model):
            return try document(CorporateHeader.standardTemplate, model: model, ids: [id])
        case .template(let template, let id, let model):
            return try document(template, model: model, ids: [id])
        }
    }

    // MARK: nodes

    func children(of node: TemplateNode, _ records: Records, into out: inout DataElement) throws(ReportError) {
        for child in node.children {
            switch child {
            case .text(let t): out.append(text: t)
            case .element(let e): try evaluate(e, records, into: &out)
            }
        }
    }

    func emit(_ element: DataElement, into parent: inout DataElement) throws(ReportError) {
        elementCount += 1
        if elementCount > evaluator.maxElements {
            throw ReportError(.limit, "the data template produces more than \(evaluator.maxElements) elements")
        }
        parent.append(element)
    }

    func evaluate(_ node: TemplateNode, _ records: Records, into parent: inout DataElement) throws(ReportError) {
        do {
            try dispatch(node, records, into: &parent)
        } catch {
            var e = error
            if e.location == nil { e.location = node.location }
            throw e
        }
    }

    func required(_ node: TemplateNode, _ attribute: String) throws(ReportError) -> String {
        guard let v = node[attribute], !v.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ReportError(.definition, "a type=\"\(node["type"] ?? "")\" node needs a '\(attribute)' attribute", at: node.location)
        }
        return v.trimmingCharacters(in: .whitespaces)
    }

    func dispatch(_ node: TemplateNode, _ records: Records, into parent: inout DataElement) throws(ReportError) {
        guard let type = node["type"] else {
            var el = DataElement(node.name)
            try children(of: node, records, into: &el)
            try emit(el, into: &parent)
            return
        }
        switch type {
        case "field":
            let path = try required(node, "name")
            var text = try self.text(of: try pathValue(path, records))
            if text.isEmpty, let d = node["default"] { text = d }
            let attrs = node.attributes.filter { !["type", "name", "default"].contains($0.name) }
            try emit(DataElement(node.name, text: text, attributes: attrs), into: &parent)

        case "fields":
            let paths = try required(node, "name").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var groups: [[GroupKey]: [Int64]] = [:]
            var order: [[GroupKey]] = []
            for id in records.ids {
                var key: [GroupKey] = []
                for p in paths {
                    key.append(GroupKey(try pathValue(p, Records(model: records.model, ids: [id]))))
                }
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(id)
            }
            var keys = order.sorted { GroupKey.less($0, $1) }
            if node["order"] == "desc" { keys.reverse() }
            for key in keys {
                var el = DataElement(node.name)
                try children(of: node, Records(model: records.model, ids: groups[key]!), into: &el)
                try emit(el, into: &parent)
            }

        case "zoom":
            let path = try required(node, "name")
            let targets: Records
            switch try pathValue(path, records) {
            case .empty: return
            case .record(let m, let id): targets = Records(model: m, ids: [id])
            case .records(let m, let ids): targets = Records(model: m, ids: ids)
            case .scalar(let v):
                if v.isEmpty { return }
                throw ReportError(.definition, "zoom on '\(path)': not a relational field")
            }
            cache.note(targets.model, targets.ids)
            for id in targets.ids {
                var el = DataElement(node.name)
                try children(of: node, Records(model: targets.model, ids: [id]), into: &el)
                try emit(el, into: &parent)
            }

        case "eval":
            let source = try required(node, "expr")
            let expr = try expression(source)
            let scope = self.scope(records)
            let value = try expr.evaluate(scope, cache: cache)
            try emit(DataElement(node.name, text: try expr.format(value, cache: cache)), into: &parent)

        case "function":
            let name = try required(node, "name")
            let text: String
            if let f = evaluator.functions[name] {
                text = try f(TemplateFunctionContext(attributes: node.attributes, now: request.now,
                                                     timeZone: request.timeZone, form: request.form))
            } else if name == "today" {
                text = try DateFormatting.strftime("%d/%m/%Y", request.now, timeZone: request.timeZone)
            } else {
                throw ReportError(.definition, "unknown template function '\(name)'")
            }
            try emit(DataElement(node.name, text: text), into: &parent)

        case "data":
            let name = try required(node, "name")
            try emit(DataElement(node.name, text: request.form[name] ?? ""), into: &parent)

        case "call":
            let name = try required(node, "name")
            guard let provider = evaluator.providers[name] else {
                throw ReportError(.definition, "unknown data provider '\(name)'")
            }
            var args: [ExprValue] = []
            for a in (node["args"] ?? "").split(separator: ",") {
                let text = a.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                args.append(try expression(text).evaluate(scope(records), cache: cache))
            }
            let rows = try provider(DataProviderContext(model: records.model, ids: records.ids, arguments: args,
                                                        records: cache.source, form: request.form))
            for row in rows {
                try emit(try copyCallNode(node, row: row, provider: name), into: &parent)
            }

        case "attachment":
            let path = try required(node, "name")
            let value = try pathValue(path, records)
            guard case .scalar(let v) = value, let id = InMemoryRecordSource.int(v) else { return }
            for a in try cache.source.attachments(records.model, id: id) where a.isImage {
                let key = "attachment-\(records.model)-\(id)"
                images[key] = a.data
                try emit(DataElement(node.name, text: key), into: &parent)
                break
            }

        default:
            throw ReportError(.definition, "unknown data template type '\(type)'")
        }
    }

    func copyCallNode(_ node: TemplateNode, row: [String: DataValue], provider: String) throws(ReportError) -> DataElement {
        var el = DataElement(node.name)
        if let key = node["value"] {
            guard let v = row[key] else {
                throw ReportError(.data, "data provider '\(provider)' returned no value '\(key)'", at: node.location)
            }
            el.append(text: try text(of: PathValue(v)))
            return el
        }
        for child in node.children {
            switch child {
            case .text(let t): el.append(text: t)
            case .element(let e): el.append(try copyCallNode(e, row: row, provider: provider))
            }
        }
        return el
    }

    // MARK: values

    func scope(_ records: Records) -> ExpressionScope {
        ExpressionScope(model: records.model, recordID: records.ids.first, form: request.form,
                        now: request.now, timeZone: request.timeZone)
    }

    func expression(_ source: String) throws(ReportError) -> SafeExpression {
        if let e = expressions[source] { return e }
        let e = try SafeExpression(source)
        expressions[source] = e
        return e
    }

    /// OpenERP's `get_value`: follows a dotted path from the first of the current records; a to-many
    /// step takes its first record, an empty step ends with an empty value.
    func pathValue(_ path: String, _ records: Records) throws(ReportError) -> PathValue {
        let steps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !steps.isEmpty, steps.allSatisfy(SQLIdentifier.isValid) else {
            throw ReportError(.definition, "invalid field path '\(path)'")
        }
        var current = PathValue.records(records.model, records.ids)
        for step in steps {
            let model: String, id: Int64
            switch current {
            case .empty: return .empty
            case .scalar: throw ReportError(.definition, "in path '\(path)': '\(step)' follows a field that is not a relation")
            case .record(let m, let i): (model, id) = (m, i)
            case .records(let m, let ids):
                guard let first = ids.first else { return .empty }
                (model, id) = (m, first)
            }
            current = PathValue(try cache.value(model, id, step))
        }
        return current
    }

    func text(of value: PathValue) throws(ReportError) -> String {
        switch value {
        case .empty: return ""
        case .scalar(let v): return v.text
        case .record(let m, let id): return try Self.displayName(m, id, cache: cache)
        case .records(let m, let ids): return try ids.first.map { (id: Int64) throws(ReportError) in try Self.displayName(m, id, cache: cache) } ?? ""
        }
    }

    /// A record's name: its `recName` field (default `name`), or its id when the model has none.
    static func displayName(_ model: String, _ id: Int64, cache: RecordCache?) throws(ReportError) -> String {
        guard let cache, let m = cache.mapping.models[model] else { return String(id) }
        let field = m.recNameField
        guard m.fields[field] != nil else { return String(id) }
        switch try cache.value(model, id, field) {
        case .record(_, let rid): return String(rid)
        case .records(_, let ids): return ids.first.map(String.init) ?? ""
        case let v: return v.text
        }
    }
}

extension DataTemplateEvaluation.PathValue {
    init(_ v: DataValue) {
        switch v {
        case .record(let m, let id): self = .record(m, id)
        case .records(let m, let ids): self = .records(m, ids)
        case .null: self = .empty
        default: self = .scalar(v)
        }
    }
}

/// A grouping key of `type="fields"`, ordered as Python 2 sorted them: numbers before strings,
/// empty values as `''`, many2one values by id.
enum GroupKey: Hashable {
    case number(Double)
    case text(String)

    init(_ v: DataTemplateEvaluation.PathValue) {
        switch v {
        case .empty: self = .text("")
        case .record(_, let id): self = .number(Double(id))
        case .records(_, let ids): self = ids.first.map { .number(Double($0)) } ?? .text("")
        case .scalar(let s):
            switch s {
            case .int(let i): self = .number(Double(i))
            case .double(let d): self = .number(d)
            case .bool(let b): self = b ? .number(1) : .text("")
            case .string(let t): self = .text(t)
            default: self = .text(s.text)
            }
        }
    }

    static func less(_ a: GroupKey, _ b: GroupKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.number, .text): return true
        case (.text, .number): return false
        case (.text(let x), .text(let y)): return x < y
        }
    }

    static func less(_ a: [GroupKey], _ b: [GroupKey]) -> Bool {
        for (x, y) in zip(a, b) {
            if less(x, y) { return true }
            if less(y, x) { return false }
        }
        return a.count < b.count
    }
}
