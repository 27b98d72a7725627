import Foundation
import Yams

/// How a report package's models map onto database tables: what data templates and custom reports
/// read through. No ORM: each model is one table, each field one column or one relation.
///
/// Declared in a YAML or JSON file of the package (JSON is read as YAML):
///
/// ```yaml
/// attachments:                  # optional: where `type="attachment"` finds images
///   table: ir_attachment
///   idColumn: id                # default id (orders several attachments)
///   modelColumn: res_model      # holds the model name, e.g. res.partner
///   recordColumn: res_id        # holds the record id
///   nameColumn: name
///   fileNameColumn: datas_fname # optional
///   dataColumn: datas           # bytea, or base64 text as OpenERP stored it
/// models:
///   stock.picking:              # model name (letters, digits, '_' and '.')
///     table: stock_picking      # may be schema-qualified: sales.stock_picking
///     idColumn: id              # default id; the field `id` always exists
///     recName: name             # field printed for a record (a many2one at the end of a path); default name
///     fields:
///       name: char              # short form: type, column = field name
///       date: {type: datetime, column: date_done}
///       address_id: {type: many2one, target: res.partner.address}            # column defaults to the field name
///       move_lines: {type: one2many, target: stock.move, inverse: picking_id} # inverse = FK column in the target table
///       tag_ids: {type: many2many, target: res.partner.category,
///                 linkTable: res_partner_category_rel, sourceColumn: partner_id, targetColumn: category_id}
/// ```
///
/// Field types: `char`, `text`, `selection`, `date`, `datetime` (read as text), `integer`, `float`,
/// `numeric`, `monetary` (numbers), `boolean`, `binary`, and the relations `many2one`, `one2many`,
/// `many2many`. Field names must be SQL-identifier-like (`[A-Za-z_][A-Za-z0-9_]*`) because they
/// appear in dotted paths; every table and column name is checked the same way and quoted in SQL.
/// Related records (one2many, many2many) are listed in ascending id order.
public struct ModelMapping: Codable, Sendable, Equatable {
    public enum FieldType: String, Codable, Sendable, CaseIterable {
        case char, text, selection, date, datetime, integer, float, numeric, monetary, boolean, binary
        case many2one, one2many, many2many

        public var isRelational: Bool { self == .many2one || self == .one2many || self == .many2many }
        public var isToMany: Bool { self == .one2many || self == .many2many }
        public var isNumeric: Bool { self == .integer || self == .float || self == .numeric || self == .monetary }
    }

    public struct Field: Codable, Sendable, Equatable {
        public var type: FieldType
        /// Scalars and many2one: the column (default: the field's name).
        public var column: String?
        /// Relations: the target model.
        public var target: String?
        /// one2many: the column of the target's table that points back at this model.
        public var inverse: String?
        /// many2many: the link table and its two columns (pointing at this model and at the target).
        public var linkTable: String?
        public var sourceColumn: String?
        public var targetColumn: String?

        public init(type: FieldType, column: String? = nil, target: String? = nil, inverse: String? = nil,
                    linkTable: String? = nil, sourceColumn: String? = nil, targetColumn: String? = nil) {
            self.type = type; self.column = column; self.target = target; self.inverse = inverse
            self.linkTable = linkTable; self.sourceColumn = sourceColumn; self.targetColumn = targetColumn
        }

        enum CodingKeys: String, CodingKey { case type, column, target, inverse, linkTable, sourceColumn, targetColumn }

        /// Accepts the short form (`name: char`) as well as the full object.
        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
                guard let t = FieldType(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(in: single, debugDescription: "unknown field type '\(name)'")
                }
                self.init(type: t)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                type: try c.decode(FieldType.self, forKey: .type),
                column: try c.decodeIfPresent(String.self, forKey: .column),
                target: try c.decodeIfPresent(String.self, forKey: .target),
                inverse: try c.decodeIfPresent(String.self, forKey: .inverse),
                linkTable: try c.decodeIfPresent(String.self, forKey: .linkTable),
                sourceColumn: try c.decodeIfPresent(String.self, forKey: .sourceColumn),
                targetColumn: try c.decodeIfPresent(String.self, forKey: .targetColumn))
        }
    }

    public struct Model: Codable, Sendable, Equatable {
        public var table: String
        public var idColumn: String?
        public var recName: String?
        public var fields: [String: Field]

        public init(table: String, idColumn: String? = nil, recName: String? = nil, fields: [String: Field]) {
            self.table = table; self.idColumn = idColumn; self.recName = recName; self.fields = fields
        }

        public var idColumnName: String { idColumn ?? "id" }
        public var recNameField: String { recName ?? "name" }
    }

    public struct AttachmentTable: Codable, Sendable, Equatable {
        public var table: String
        public var idColumn: String?
        public var modelColumn: String
        public var recordColumn: String
        public var nameColumn: String
        public var fileNameColumn: String?
        public var dataColumn: String

        public init(table: String, idColumn: String? = nil, modelColumn: String, recordColumn: String,
                    nameColumn: String, fileNameColumn: String? = nil, dataColumn: String) {
            self.table = table; self.idColumn = idColumn; self.modelColumn = modelColumn
            self.recordColumn = recordColumn; self.nameColumn = nameColumn
            self.fileNameColumn = fileNameColumn; self.dataColumn = dataColumn
        }
    }

    public var models: [String: Model]
    public var attachments: AttachmentTable?

    public init(models: [String: Model], attachments: AttachmentTable? = nil) {
        self.models = models
        self.attachments = attachments
    }

    // MARK: - Loading

    /// Reads and validates a mapping file (YAML or JSON).
    public static func load(contentsOf path: String) throws(ReportError) -> ModelMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError(.notFound, "cannot read model mapping '\(path)'")
        }
        return try decode(data, fileName: path)
    }

    /// Decodes and validates a mapping held in memory.
    public static func decode(_ data: Data, fileName: String = "<mapping>") throws(ReportError) -> ModelMapping {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReportError(.definition, "\(fileName): the model mapping is not UTF-8")
        }
        let mapping: ModelMapping
        do {
            mapping = try YAMLDecoder().decode(ModelMapping.self, from: text)
        } catch let error as DecodingError {
            throw ReportError(.definition, "\(fileName): invalid model mapping: \(Self.describe(error))")
        } catch {
            throw ReportError(.definition, "\(fileName): invalid model mapping: \(error)")
        }
        do {
            try mapping.validate()
        } catch {
            throw ReportError(error.kind, "\(fileName): \(error.message)")
        }
        return mapping
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let ctx): return "missing '\(key.stringValue)' at '\(path(ctx.codingPath))'"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(ctx.debugDescription) at '\(path(ctx.codingPath))'"
        @unknown default: return "\(error)"
        }
    }

    // MARK: - Validation and lookup

    /// Checks every identifier, relation target and the attributes each relation needs.
    public func validate() throws(ReportError) {
        for (name, model) in models.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) else {
                throw ReportError(.definition, "invalid model name '\(name)'")
            }
            _ = try SQLIdentifier.quoteQualified(model.table, what: "table of model \(name)")
            _ = try SQLIdentifier.quote(model.idColumnName, what: "id column of model \(name)")
            for (fname, field) in model.fields.sorted(by: { $0.key < $1.key }) {
                let what = "field \(name).\(fname)"
                guard SQLIdentifier.isValid(fname) else {
                    throw ReportError(.definition, "invalid field name '\(fname)' in model \(name)")
                }
                if field.type.isRelational {
                    guard let target = field.target else { throw ReportError(.definition, "\(what): a \(field.type.rawValue) needs 'target'") }
                    guard models[target] != nil else { throw ReportError(.definition, "\(what): unknown target model '\(target)'") }
                } else if field.target != nil {
                    throw ReportError(.definition, "\(what): only relations have a 'target'")
                }
                switch field.type {
                case .one2many:
                    guard let inverse = field.inverse else { throw ReportError(.definition, "\(what): a one2many needs 'inverse' (the column pointing back)") }
                    _ = try SQLIdentifier.quote(inverse, what: "column of \(what)")
                case .many2many:
                    guard let link = field.linkTable, let s = field.sourceColumn, let t = field.targetColumn else {
                        throw ReportError(.definition, "\(what): a many2many needs 'linkTable', 'sourceColumn' and 'targetColumn'")
                    }
                    _ = try SQLIdentifier.quoteQualified(link, what: "link table of \(what)")
                    _ = try SQLIdentifier.quote(s, what: "column of \(what)")
                    _ = try SQLIdentifier.quote(t, what: "column of \(what)")
                default:
                    _ = try SQLIdentifier.quote(field.column ?? fname, what: "column of \(what)")
                }
            }
            if let rec = model.recName, rec != "id", model.fields[rec] == nil {
                throw ReportError(.definition, "model \(name): recName '\(rec)' is not a field")
            }
        }
        if let a = attachments {
            _ = try SQLIdentifier.quoteQualified(a.table, what: "attachment table")
            for c in [a.idColumn ?? "id", a.modelColumn, a.recordColumn, a.nameColumn, a.dataColumn] + (a.fileNameColumn.map { [$0] } ?? []) {
                _ = try SQLIdentifier.quote(c, what: "attachment column")
            }
        }
    }

    /// The model of that name, or an error of kind `.definition`.
    public func model(_ name: String) throws(ReportError) -> Model {
        guard let m = models[name] else { throw ReportError(.definition, "unknown model '\(name)'") }
        return m
    }

    /// The field of a model; `id` is implicit (an integer on the id column). A relation returned
    /// here has its `target` (and `inverse` or link table and columns).
    public func field(_ name: String, of modelName: String) throws(ReportError) -> Field {
        let m = try model(modelName)
        if let f = m.fields[name] {
            // Relations are complete when this returns (mappings built in code skip `validate()`).
            let what = "field \(modelName).\(name)"
            if f.type.isRelational && f.target == nil { throw ReportError(.definition, "\(what): a \(f.type.rawValue) needs 'target'") }
            if f.type == .one2many && f.inverse == nil { throw ReportError(.definition, "\(what): a one2many needs 'inverse'") }
            if f.type == .many2many && (f.linkTable == nil || f.sourceColumn == nil || f.targetColumn == nil) {
                throw ReportError(.definition, "\(what): a many2many needs 'linkTable', 'sourceColumn' and 'targetColumn'")
            }
            return f
        }
        if name == "id" { return Field(type: .integer, column: m.idColumnName) }
        throw ReportError(.definition, "model \(modelName) has no field '\(name)'")
    }
}

extension ModelMapping.Field {
    /// The column holding a scalar or many2one value.
    func columnName(_ fieldName: String) -> String { column ?? fieldName }
}
