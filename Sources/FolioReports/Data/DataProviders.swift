import Foundation

/// What a data provider (`type="call"`) receives: the current records, the evaluated `args`, the
/// record source and the print request's form values.
public struct DataProviderContext {
    public let model: String
    public let ids: [Int64]
    public let arguments: [ExprValue]
    public let records: any RecordSource
    public let form: [String: String]

    public init(model: String, ids: [Int64], arguments: [ExprValue] = [], records: any RecordSource, form: [String: String] = [:]) {
        self.model = model; self.ids = ids; self.arguments = arguments; self.records = records; self.form = form
    }
}

/// A named data provider: returns rows (key → value) for a `type="call"` node; each row produces one
/// copy of the node, and its `value="key"` descendants print the row's values.
public typealias DataProvider = @Sendable (DataProviderContext) throws(ReportError) -> [[String: DataValue]]

/// The data providers templates may call, by name (OpenERP called a model method of that name).
public struct DataProviderRegistry: Sendable {
    private var providers: [String: DataProvider] = [:]

    public init() {}

    public mutating func register(_ name: String, _ provider: @escaping DataProvider) {
        providers[name] = provider
    }

    public subscript(_ name: String) -> DataProvider? { providers[name] }

    public var names: [String] { providers.keys.sorted() }

    /// The providers Folio ships: `_product_get_report` (stock by location, for lot_overview.xml).
    public static var standard: DataProviderRegistry {
        var r = DataProviderRegistry()
        r.register("_product_get_report", StockProviders.productsInLocations)
        return r
    }
}

/// Example providers over the stock models of `scripts/sample-models.yaml`.
enum StockProviders {
    /// `stock.location._product_get_report`: the products in the given locations, from the moves
    /// in state `done` (into a location: +quantity, out of it: −quantity), one row per product with a
    /// non-zero amount, by product name: `name`, `variants`, `amount`, `uom`, `price` (cost price).
    ///
    /// Needs these mapped fields: `stock.location.incoming_move_ids` and `outgoing_move_ids`
    /// (one2many to `stock.move` on `location_dest_id` / `location_id`); `stock.move.product_id`,
    /// `product_qty`, `location_id`, `location_dest_id`, `state`; `product.product.name`,
    /// `variants`, `standard_price`, `uom_id`; `product.uom.name`.
    static let productsInLocations: DataProvider = { (ctx: DataProviderContext) throws(ReportError) -> [[String: DataValue]] in
        guard ctx.model == "stock.location" else {
            throw ReportError(.definition, "_product_get_report works on stock.location records, not \(ctx.model)")
        }
        let src = ctx.records
        let locations = Set(ctx.ids)
        let incoming = try src.related("stock.location", field: "incoming_move_ids", ids: ctx.ids)
        let outgoing = try src.related("stock.location", field: "outgoing_move_ids", ids: ctx.ids)
        var moveIDs = Set<Int64>()
        for ids in incoming.values { moveIDs.formUnion(ids) }
        for ids in outgoing.values { moveIDs.formUnion(ids) }
        let moves = try src.read("stock.move", ids: moveIDs.sorted(),
                                 fields: ["product_id", "product_qty", "location_id", "location_dest_id", "state"])
        var amounts: [Int64: Double] = [:]
        for (_, move) in moves {
            guard move["state"] == .string("done"), case .record(_, let product)? = move["product_id"] else { continue }
            var qty = 0.0
            switch move["product_qty"] {
            case .double(let d)?: qty = d
            case .int(let i)?: qty = Double(i)
            default: break
            }
            var delta = 0.0
            if case .record(_, let dest)? = move["location_dest_id"], locations.contains(dest) { delta += qty }
            if case .record(_, let source)? = move["location_id"], locations.contains(source) { delta -= qty }
            amounts[product, default: 0] += delta
        }
        let productIDs = amounts.filter { $0.value != 0 }.map(\.key).sorted()
        let products = try src.read("product.product", ids: productIDs, fields: ["name", "variants", "standard_price", "uom_id"])
        var uomIDs: [Int64] = []
        for p in products.values { if case .record(_, let u)? = p["uom_id"] { uomIDs.append(u) } }
        let uoms = try src.read("product.uom", ids: uomIDs, fields: ["name"])
        var rows: [(String, Int64, [String: DataValue])] = []
        for id in productIDs {
            let p = products[id] ?? [:]
            var uom = DataValue.null
            if case .record(_, let u)? = p["uom_id"] { uom = uoms[u]?["name"] ?? .null }
            let name = p["name"] ?? .null
            rows.append((name.text, id, [
                "name": name,
                "variants": p["variants"] ?? .null,
                "amount": .double(amounts[id] ?? 0),
                "uom": uom,
                "price": p["standard_price"] ?? .null,
            ]))
        }
        return rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }
}
