import Foundation

/// `report.folio.pricelist`: a product price list, written in code with `RMLDocumentBuilder`.
///
/// Items come from the request's payload, JSON — a list, or an object with an `items` list:
///
///     [{"code": "LMP-01", "name": "Pendant lamp", "price": 189.0, "category": "Lamps", "unit": "Unit"}]
///
/// (`price` may be a number or a string such as `"189.00"`; `code`, `category`, `unit` are
/// optional) — or, without a payload, from the parameter `items`: one item per line,
/// `code;name;price[;category[;unit]]`.
///
/// Other parameters: `title` (default "Price list"), `company` (printed in the header),
/// `currency` (default `EUR`), `discount` (a percentage from 0 to 100: adds a "Net" column),
/// `valid_from` (printed under the title), `format` (`A4`, `A5`), `orientation`
/// (`portrait`, `landscape`).
///
/// Items are grouped by category (sorted; items without one come last under "Other"), sorted by
/// name then code within a category; each category opens with a spanning row. The header row
/// repeats on every page, which carries "Page X of Y".
public struct PriceListReport: CodedReport {
    public let name = "report.folio.pricelist"

    public struct Item: Codable, Sendable, Equatable {
        public var code: String?
        public var name: String
        public var price: Double
        public var category: String?
        public var unit: String?

        public init(code: String? = nil, name: String, price: Double, category: String? = nil, unit: String? = nil) {
            self.code = code; self.name = name; self.price = price; self.category = category; self.unit = unit
        }

        enum CodingKeys: String, CodingKey { case code, name, price, category, unit }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            code = try c.decodeIfPresent(String.self, forKey: .code)
            name = try c.decode(String.self, forKey: .name)
            category = try c.decodeIfPresent(String.self, forKey: .category)
            unit = try c.decodeIfPresent(String.self, forKey: .unit)
            if let d = try? c.decode(Double.self, forKey: .price) {
                price = d
            } else {
                let s = try c.decode(String.self, forKey: .price)
                guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else {
                    throw DecodingError.dataCorruptedError(forKey: .price, in: c, debugDescription: "'\(s)' is not a price")
                }
                price = d
            }
        }
    }

    public init() {}

    public func render(_ request: CodedReportRequest) throws(ReportError) -> CodedReportOutput {
        let p = request.parameters
        let items = try Self.items(from: request)
        guard !items.isEmpty else {
            throw ReportError(.data, "\(name): no items to print (give a JSON payload or the 'items' parameter)")
        }
        if let bad = items.first(where: { !$0.price.isFinite }) {
            throw ReportError(.data, "\(name): item '\(bad.name)' has no valid price")
        }
        var discount: Double?
        if let d = p["discount"]?.trimmingCharacters(in: .whitespaces), !d.isEmpty {
            guard let v = Double(d.replacingOccurrences(of: "%", with: "")), (0...100).contains(v) else {
                throw ReportError(.data, "\(name): discount '\(d)' is not a percentage between 0 and 100")
            }
            discount = v
        }
        let currency = (p["currency"]?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? "EUR"
        let title = (p["title"]).flatMap { $0.isEmpty ? nil : $0 } ?? "Price list"
        var size: RMLPageSize = p["format"]?.uppercased() == "A5" ? .a5 : .a4
        if p["orientation"]?.lowercased() == "landscape" { size = size.landscape }

        var doc = RMLDocumentBuilder(title: title, pageSize: size, margins: size.width < 500 ? 28.35 : 42.52)
        doc.topMargin += 24
        doc.bottomMargin += 18
        let w = size.width, h = size.height, lm = doc.leftMargin, rm = doc.rightMargin
        doc.pageGraphics = [
            .fill("#1d4e5f"), .setFont("Helvetica-Bold", 11),
            .string(p["company"] ?? "", x: lm, y: h - doc.topMargin + 12),
            .setFont("Helvetica", 9),
            .string(title, x: w - rm, y: h - doc.topMargin + 12, anchor: .right),
            .stroke("#1d4e5f"), .lineWidth(0.8),
            .line(lm, h - doc.topMargin + 6, w - rm, h - doc.topMargin + 6),
            .stroke("#999999"), .lineWidth(0.5),
            .line(lm, doc.bottomMargin - 6, w - rm, doc.bottomMargin - 6),
            .fill("#555555"), .setFont("Helvetica", 8),
            .string("Prices in \(currency)" + (discount.map { ", net after \(ChartFormat.coordinate($0)) % discount" } ?? ""), x: lm, y: doc.bottomMargin - 16),
            .pageXofY(x: w - rm, y: doc.bottomMargin - 16),
        ]
        doc.paraStyle(RMLParaStyle("title", fontName: "Helvetica-Bold", fontSize: 18, leading: 22, textColor: "#1d4e5f", spaceAfter: 4))
        doc.paraStyle(RMLParaStyle("subtitle", fontName: "Helvetica", fontSize: 9.5, leading: 12, textColor: "#555555", spaceAfter: 10))
        doc.paraStyle(RMLParaStyle("cell", fontName: "Helvetica", fontSize: 9, leading: 11))
        doc.paraStyle(RMLParaStyle("num", parent: "cell", alignment: .right))
        doc.paraStyle(RMLParaStyle("head", fontName: "Helvetica-Bold", fontSize: 9, leading: 11, textColor: "#ffffff"))
        doc.paraStyle(RMLParaStyle("head-num", parent: "head", alignment: .right))
        doc.paraStyle(RMLParaStyle("category", fontName: "Helvetica-Bold", fontSize: 9.5, leading: 12, textColor: "#1d4e5f"))

        doc.para(title, style: "title")
        var sub = ["\(items.count) item\(items.count == 1 ? "" : "s")", "prices in \(currency)"]
        if let v = p["valid_from"], !v.isEmpty { sub.insert("valid from \(v)", at: 0) }
        if let discount { sub.append("\(ChartFormat.coordinate(discount)) % discount") }
        doc.para(sub.joined(separator: " · "), style: "subtitle")

        // Columns.
        let codeW = 62.0, unitW = 48.0, priceW = 72.0
        let productW = doc.frameWidth - codeW - unitW - priceW * (discount == nil ? 1 : 2)
        var widths = [codeW, productW, unitW, priceW]
        var header: [RMLCell] = [RMLCell("Code", style: "head"), RMLCell("Product", style: "head"), RMLCell("Unit", style: "head"),
                                 RMLCell("Price", style: "head-num")]
        if discount != nil {
            widths.append(priceW)
            header.append(RMLCell("Net", style: "head-num"))
        }
        var rows: [[RMLCell]] = [header]
        var commands: [RMLTableCommand] = [
            .background("#1d4e5f", start: RMLCellRef(0, 0), stop: RMLCellRef(-1, 0)),
            .valign("TOP"),
            .line(.lineBelow, color: "#d0d0d0", thickness: 0.4, start: RMLCellRef(0, 1), stop: .last),
        ]
        let groups = Dictionary(grouping: items) { $0.category?.trimmingCharacters(in: .whitespaces).nilIfEmpty ?? "" }
        let categories = groups.keys.sorted { a, b in a.isEmpty ? false : b.isEmpty ? true : (a.lowercased(), a) < (b.lowercased(), b) }
        for category in categories {
            let r = rows.count
            rows.append([RMLCell(category.isEmpty ? "Other" : category, style: "category")] + Array(repeating: RMLCell.empty, count: widths.count - 1))
            commands.append(.span(start: RMLCellRef(0, r), stop: RMLCellRef(-1, r)))
            commands.append(.background("#e8f0f2", start: RMLCellRef(0, r), stop: RMLCellRef(-1, r)))
            let sorted = groups[category]!.sorted {
                ($0.name.lowercased(), $0.code ?? "") < ($1.name.lowercased(), $1.code ?? "")
            }
            for item in sorted {
                var row = [RMLCell(item.code ?? "", style: "cell"), RMLCell(item.name, style: "cell"),
                           RMLCell(item.unit ?? "", style: "cell"), RMLCell(Self.money(item.price), style: "num")]
                if let discount { row.append(RMLCell(Self.money(item.price * (1 - discount / 100)), style: "num")) }
                rows.append(row)
            }
        }
        doc.tableStyle(RMLTableStyle("pricelist", commands))
        doc.table(rows, colWidths: widths, style: "pricelist", repeatRows: 1)
        return .rml(doc.data())
    }

    /// Two decimals, rounded half away from zero, no grouping (locale-independent).
    static func money(_ v: Double) -> String {
        let cents = (v * 100).rounded(.toNearestOrAwayFromZero) / 100
        return String(format: "%.2f", cents == 0 ? 0 : cents)
    }

    /// The items of a request: the JSON payload, else the `items` parameter.
    public static func items(from request: CodedReportRequest) throws(ReportError) -> [Item] {
        if let payload = request.payload, !payload.isEmpty {
            struct Wrapped: Decodable { var items: [Item] }
            do {
                if let list = try? JSONDecoder().decode([Item].self, from: payload) { return list }
                return try JSONDecoder().decode(Wrapped.self, from: payload).items
            } catch let e as DecodingError {
                throw ReportError(.data, "report.folio.pricelist: the payload is not a list of items: \(ReportPackage.describe(e))")
            } catch {
                throw ReportError(.data, "report.folio.pricelist: the payload is not JSON: \(error.localizedDescription)")
            }
        }
        guard let text = request.parameters["items"] else { return [] }
        var out: [Item] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            let f = t.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count >= 3, !f[1].isEmpty else {
                throw ReportError(.data, "report.folio.pricelist: items line \(i + 1): expected code;name;price[;category[;unit]]")
            }
            guard let price = Double(f[2]), price.isFinite else {
                throw ReportError(.data, "report.folio.pricelist: items line \(i + 1): '\(f[2])' is not a price")
            }
            out.append(Item(code: f[0].nilIfEmpty, name: f[1], price: price,
                            category: f.count > 3 ? f[3].nilIfEmpty : nil, unit: f.count > 4 ? f[4].nilIfEmpty : nil))
        }
        return out
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
