import FolioRML
import Foundation

// Lists (`ul`, `ol`, `dl`) as ReportLab's ListFlowable / ListItem / LIIndenter build them from
// z3c.rml's list directives: every flowable of an item is indented by the item's leftIndent, the
// first one carries the bullet, and a list that does not fit splits into its indented flowables so
// the frame can break between (and inside) items.

// MARK: - Style

/// ReportLab's `ListStyle` (`<listStyle>`, and the same attributes on `ul`/`ol`/`li`).
struct ListStyleSpec {
    var leftIndent = 18.0
    var rightIndent = 0.0
    var bulletAlign = "left"
    var bulletType = "1"
    var bulletColor = Color.black
    var bulletFontName = "Helvetica"
    var bulletFontSize = 12.0
    var bulletOffsetY = 0.0
    /// nil = `auto`.
    var bulletDedent: Double?
    var bulletDir = "ltr"
    var bulletFormat: String?
    /// First counter value (ordered) or bullet name / text (unordered).
    var start: String?

    /// Applies the list style attributes present on an element. `start` is read only where the
    /// element has it (`listStyle`, `ul`, `ol`).
    mutating func apply(_ e: RMLElement, _ ctx: LayoutContext, readStart: Bool) throws(RMLError) {
        let d = ctx.diagnostics
        if let v = try e.length("leftIndent", diagnostics: d) { leftIndent = v }
        if let v = try e.length("rightIndent", diagnostics: d) { rightIndent = v }
        if let v = e["bulletAlign"] { bulletAlign = v.trimmingCharacters(in: .whitespaces).lowercased() }
        if let raw = e["bulletType"] {
            let v = raw.trimmingCharacters(in: .whitespaces)
            if v == "bullet" || ListNumbering.numberTypes.contains(v) || ListNumbering.bulletNames[v] != nil {
                bulletType = v
            } else {
                try d.warn("attribute 'bulletType' on <\(e.name)>: unknown bullet type '\(raw)' (use 1, a, A, i, I, l, L, o, O, r, R or bullet)", at: e.location)
            }
        }
        if let v = try ctx.color(e["bulletColor"], at: e.location) { bulletColor = v }
        if let v = e["bulletFontName"] { bulletFontName = v }
        if let v = try e.length("bulletFontSize", diagnostics: d) { bulletFontSize = v }
        if let v = try e.length("bulletOffsetY", diagnostics: d) { bulletOffsetY = v }
        if let raw = e["bulletDedent"] {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.lowercased() == "auto" {
                bulletDedent = nil
            } else if let v = RMLValue.length(t) {
                bulletDedent = v
            } else {
                try d.warn("attribute 'bulletDedent' on <\(e.name)>: '\(raw)' is neither a length nor 'auto'", at: e.location)
            }
        }
        if let v = e["bulletDir"] { bulletDir = v.trimmingCharacters(in: .whitespaces).lowercased() }
        if let v = e["bulletFormat"] { bulletFormat = v }
        if readStart, let v = e["start"] { start = v.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The dedent used when `bulletDedent` is `auto`, as ReportLab computes it for z3c.rml's lists
    /// (whose items are all ListItems, so no bullet widths enter the computation).
    var effectiveDedent: Double {
        if let bulletDedent { return bulletDedent }
        if bulletDir != "rtl" && bulletAlign == "left" { return leftIndent }
        if bulletAlign == "right" { return rightIndent }
        return bulletDir == "rtl" ? rightIndent : leftIndent
    }

    func inlineStyle(_ ctx: LayoutContext, at location: SourceLocation) -> InlineStyle {
        InlineStyle(face: ctx.face(bulletFontName, at: location), size: bulletFontSize, color: bulletColor)
    }
}

// MARK: - Bullet text

/// Bullet labels: the named bullet characters and the counter formats of ReportLab's sequencer,
/// with the word and ordinal formats z3c.rml adds (`l`, `L`, `o`, `O`, `r`, `R`).
enum ListNumbering {
    static let bulletNames: [String: String] = [
        "bulletchar": "\u{2022}", "circle": "\u{25CF}", "square": "\u{25A0}", "disc": "\u{25CB}",
        "diamond": "\u{25C6}", "diamondwx": "\u{2756}", "rarrowhead": "\u{27A4}", "sparkle": "\u{2747}",
        "squarelrs": "\u{274F}", "blackstar": "\u{2605}",
    ]

    /// Counter formats, by bullet type.
    static let numberTypes: Set<String> = ["1", "a", "A", "i", "I", "l", "L", "o", "O", "r", "R"]

    /// The label for a bullet value: a bullet name or text for type `bullet`, otherwise the counter
    /// formatted by type; then `bulletFormat` (`%s` is replaced by the label).
    static func label(value: String, type: String, format: String?) -> String {
        var s: String
        if type != "bullet", let n = Int(value.trimmingCharacters(in: .whitespaces)), let f = self.format(n, type) {
            s = f
        } else if let named = bulletNames[type] {
            s = named   // a bullet name used as the type: that bullet for every item
        } else {
            s = bulletNames[value] ?? value
        }
        if let format { s = applyFormat(format, s) }
        return s
    }

    /// Python's `format % s` for the single-argument case.
    static func applyFormat(_ format: String, _ s: String) -> String {
        var out = ""
        var it = format.makeIterator()
        while let c = it.next() {
            guard c == "%" else { out.append(c); continue }
            switch it.next() {
            case "%": out.append("%")
            case "s", "d", "i", "r": out += s
            case let other?: out.append("%"); out.append(other)
            case nil: out.append("%")
            }
        }
        return out
    }

    /// A counter value in a bullet type's format, or nil for an unknown type.
    static func format(_ n: Int, _ type: String) -> String? {
        switch type {
        case "1": return String(n)
        case "a": return letter(n, base: 97)
        case "A": return letter(n, base: 65)
        case "i": return roman(n).lowercased()
        case "I": return roman(n)
        case "l": return words(n, ordinal: false)
        case "L": return words(n, ordinal: false).uppercased()
        case "o": return words(n, ordinal: true)
        case "O": return words(n, ordinal: true).uppercased()
        case "r": return String(n) + ordinalSuffix(n)
        case "R": return (String(n) + ordinalSuffix(n)).uppercased()
        default: return nil
        }
    }

    /// Letters wrap around after z, as ReportLab's sequencer does.
    static func letter(_ n: Int, base: UInt8) -> String {
        let k = ((n - 1) % 26 + 26) % 26
        return String(UnicodeScalar(base + UInt8(k)))
    }

    static func roman(_ n: Int) -> String {
        guard n > 0 && n < 5000 else { return String(n) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var v = n
        var out = ""
        for (value, sym) in table {
            while v >= value { out += sym; v -= value }
        }
        return out
    }

    static func ordinalSuffix(_ n: Int) -> String {
        let m100 = abs(n) % 100
        if (11...13).contains(m100) { return "th" }
        switch abs(n) % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }

    private static let units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                "eighteen", "nineteen"]
    private static let unitsOrdinal = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                       "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                                       "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    private static let tensOrdinal = ["", "", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
                                      "seventieth", "eightieth", "ninetieth"]
    private static let scales = ["", "", "hundred", "thousand", "", "", "million", "", "", "billion", "", "", "trillion"]

    /// English number words in title case ("Twenty-One", "One Hundred Five"), as z3c.rml's num2words.
    static func words(_ n: Int, ordinal: Bool) -> String {
        guard n >= 0 && n < 1_000_000_000_000_000 else { return String(n) }
        var list = wordList(String(n))
        if ordinal, let last = list.last {
            if let i = units.firstIndex(of: last) {
                list[list.count - 1] = unitsOrdinal[i]
            } else if let i = tens.firstIndex(of: last), !last.isEmpty {
                list[list.count - 1] = tensOrdinal[i]
            } else if scales.contains(last), !last.isEmpty {
                list[list.count - 1] = last + "th"
            }
        }
        var titled = list.filter { !$0.isEmpty }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        // Two-digit numbers take a dash: Twenty-One.
        var out: [String] = []
        let tensSet = Set(tens.filter { !$0.isEmpty }.map { $0.prefix(1).uppercased() + $0.dropFirst() })
        let unitSet = Set((units + unitsOrdinal).map { $0.prefix(1).uppercased() + $0.dropFirst() })
        while !titled.isEmpty {
            let cur = titled.removeFirst()
            if tensSet.contains(cur), let next = titled.first, unitSet.contains(next) {
                titled.removeFirst()
                out.append(cur + "-" + next)
            } else {
                out.append(cur)
            }
        }
        return out.joined(separator: " ")
    }

    private static func wordList(_ digits: String) -> [String] {
        var words: [String] = []
        var left = Substring(digits)
        while !left.isEmpty {
            let v = Int(left) ?? 0
            if v < 20 {
                if v != 0 || words.isEmpty { words.append(units[v]) }
                break
            }
            if v < 100 {
                words.append(tens[Int(String(left.first!))!])
                left = left.dropFirst()
            } else if v < 1000 {
                let digit = Int(String(left.first!))!
                if digit != 0 { words.append(units[digit]) }
                words.append(scales[left.count - 1])
                left = left.dropFirst()
            } else {
                let mag = Int(log10(Double(v)) / 3) * 3
                words += wordList(String(left.dropLast(mag))) + [scales[mag]]
                left = left.suffix(mag)
            }
        }
        return words
    }
}

// MARK: - Flowables

/// A bullet drawn beside the first flowable of a list item (ReportLab's BulletDrawer): its baseline
/// is one bullet font size below the top of the item's first flowable.
struct ListBullet {
    var text: String
    var style: InlineStyle
    var fontSize: Double
    var offsetY: Double
    /// The list's bullet dedent: distance from the item's left indent back to the bullet.
    var dedent: Double
    var align: String
    var rightToLeft: Bool

    func draw(on canvas: PageCanvas, x: Double, y: Double, height: Double, width: Double,
              leftIndent: Double, rightIndent: Double, _ ctx: LayoutContext) {
        if text.isEmpty { return }
        let line = ctx.shaper.shapeLine(text, style: style)
        let by = y + height - fontSize + offsetY
        let bx = rightToLeft ? x + width - rightIndent + dedent : x + leftIndent - dedent
        var lx = bx
        switch align {
        case "right": lx = bx - line.width
        case "center", "centre": lx = bx - line.width / 2
        default:
            if align.hasPrefix("numeric") || align.hasPrefix("decimal") {
                // Aligned on a pivot character (default '.'): the text before it ends at x.
                let pivotSpec = align.dropFirst(7).trimmingCharacters(in: .whitespaces)
                let pivot = pivotSpec.first ?? "."
                if let i = text.firstIndex(of: pivot) {
                    lx = bx - ctx.shaper.shapeLine(String(text[..<i]), style: style).width
                } else {
                    lx = bx - line.width
                }
            }
        }
        canvas.draw(line, x: lx, y: by)
    }
}

/// One flowable of a list item, indented, with the item's bullet if it is the item's first
/// (ReportLab's LIIndenter). Splits into indented parts; only the first keeps the bullet.
final class ListItemIndenter: Flowable {
    let content: Flowable
    let leftIndent: Double
    let rightIndent: Double
    let bullet: ListBullet?
    private var size = Size(width: 0, height: 0)
    private var innerSize = Size(width: 0, height: 0)

    init(_ content: Flowable, leftIndent: Double, rightIndent: Double, bullet: ListBullet?) {
        self.content = content; self.leftIndent = leftIndent; self.rightIndent = rightIndent; self.bullet = bullet
    }

    /// An indenter for any flowable: placement-dependent groups (keepTogether…) get one that the
    /// frame can resolve.
    static func make(_ content: Flowable, leftIndent: Double, rightIndent: Double, bullet: ListBullet?) -> Flowable {
        if let g = content as? FlowGroup {
            return ListItemGroupIndenter(g, leftIndent: leftIndent, rightIndent: rightIndent, bullet: bullet)
        }
        return ListItemIndenter(content, leftIndent: leftIndent, rightIndent: rightIndent, bullet: bullet)
    }

    var location: SourceLocation? { content.location }
    var spaceBefore: Double { content.spaceBefore }
    var spaceAfter: Double { content.spaceAfter }
    var keepWithNext: Bool { content.keepWithNext }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        innerSize = try content.wrap(w - leftIndent - rightIndent, h, ctx)
        size = Size(width: w, height: innerSize.height)
        return size
    }

    func split(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        let parts = try content.split(w - leftIndent - rightIndent, h, ctx)
        return parts.enumerated().map { i, p in
            p is ActionFlowable ? p : ListItemIndenter.make(p, leftIndent: leftIndent, rightIndent: rightIndent,
                                                            bullet: i == 0 ? bullet : nil)
        }
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        bullet?.draw(on: canvas, x: x, y: y, height: size.height, width: size.width,
                     leftIndent: leftIndent, rightIndent: rightIndent, ctx)
        let inner = size.width - leftIndent - rightIndent
        var fx = x + leftIndent
        switch content.hAlign {
        case .center: fx += (inner - innerSize.width) / 2
        case .right: fx += inner - innerSize.width
        case .left: break
        }
        try content.draw(on: canvas, x: fx, y: y, ctx)
    }
}

/// A list item flowable that decides at placement time (keepTogether, keep-with-next chains): the
/// frame resolves the group and gets its parts indented, the first with the bullet. Drawn whole
/// inside a container, it lays its content out as if at the top of an unbounded frame.
final class ListItemGroupIndenter: FlowGroup {
    let group: FlowGroup
    let leftIndent: Double
    let rightIndent: Double
    let bullet: ListBullet?
    private var drawn: ListItemIndenter?

    init(_ group: FlowGroup, leftIndent: Double, rightIndent: Double, bullet: ListBullet?) {
        self.group = group; self.leftIndent = leftIndent; self.rightIndent = rightIndent; self.bullet = bullet
    }

    var location: SourceLocation? { group.location }
    var spaceBefore: Double { group.spaceBefore }
    var spaceAfter: Double { group.spaceAfter }
    var keepWithNext: Bool { group.keepWithNext }

    func resolve(availableWidth: Double, availableHeight: Double, frameHeight: Double, atTop: Bool,
                 _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        let parts = try group.resolve(availableWidth: availableWidth - leftIndent - rightIndent,
                                      availableHeight: availableHeight, frameHeight: frameHeight, atTop: atTop, ctx)
        var first = true
        return parts.map { p in
            if p is ActionFlowable { return p }
            defer { first = false }
            return ListItemIndenter.make(p, leftIndent: leftIndent, rightIndent: rightIndent, bullet: first ? bullet : nil)
        }
    }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        let stack = StackedFlowables(try StackedFlowables.flatten([group], width: w - leftIndent - rightIndent, ctx),
                                     location: location)
        let d = ListItemIndenter(stack, leftIndent: leftIndent, rightIndent: rightIndent, bullet: bullet)
        drawn = d
        return try d.wrap(w, h, ctx)
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try drawn?.draw(on: canvas, x: x, y: y, ctx)
    }
}

/// Flowables stacked top-down as one block, as platypus containers do (`_listWrapOn` and
/// `_Container.drawOn`): the gap between two flowables is the larger of the first's spaceAfter and
/// the second's spaceBefore, flowables without height take no space, and the block splits into its
/// flowables so a frame can break between them. Lists, pto content and the text beside an image.
final class StackedFlowables: Flowable {
    static let fuzz = 1e-6
    let content: [Flowable]
    let location: SourceLocation?
    private var flat: [Flowable] = []
    private var height = 0.0
    private var width = 0.0

    init(_ content: [Flowable], location: SourceLocation?) {
        self.content = content
        self.location = location
    }

    var spaceBefore: Double { content.first { !($0 is ActionFlowable) }?.spaceBefore ?? 0 }
    var spaceAfter: Double { content.last { !($0 is ActionFlowable) }?.spaceAfter ?? 0 }

    /// Replaces placement-dependent groups by their content placed at the top of an unbounded frame
    /// and drops frame actions: what a container draws.
    static func flatten(_ list: [Flowable], width: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        var out: [Flowable] = []
        for f in list {
            if f is ActionFlowable { continue }
            if let g = f as? FlowGroup {
                let parts = try g.resolve(availableWidth: width, availableHeight: 1e9, frameHeight: 1e9, atTop: true, ctx)
                out += try flatten(parts, width: width, ctx)
            } else {
                out.append(f)
            }
        }
        return out
    }

    /// Height of flowables stacked at a width (groups must already be flattened).
    static func height(of list: [Flowable], width: Double, _ ctx: LayoutContext) throws(RMLError) -> Double {
        var total = 0.0
        var prevAfter = 0.0
        var atTop = true
        for f in list {
            let s = try f.wrap(width, 1e9, ctx)
            if s.height <= fuzz { continue }
            total += s.height
            if !atTop { total += max(f.spaceBefore - prevAfter, 0) }
            atTop = false
            prevAfter = f.spaceAfter
            total += prevAfter
        }
        return total - prevAfter
    }

    /// Draws flowables stacked down from `top` (groups must already be flattened); each is wrapped
    /// again right before it is drawn.
    static func draw(_ list: [Flowable], on canvas: PageCanvas, x: Double, top: Double, width: Double,
                     _ ctx: LayoutContext) throws(RMLError) {
        var y = top
        var prevAfter = 0.0
        var atTop = true
        for f in list {
            let s = try f.wrap(width, 1e9, ctx)
            var fx = x
            switch f.hAlign {
            case .center: fx += (width - s.width) / 2
            case .right: fx += width - s.width
            case .left: break
            }
            if s.height <= fuzz {
                try f.draw(on: canvas, x: fx, y: y, ctx)
                continue
            }
            if !atTop { y -= prevAfter + max(f.spaceBefore - prevAfter, 0) }
            atTop = false
            y -= s.height
            try f.draw(on: canvas, x: fx, y: y, ctx)
            prevAfter = f.spaceAfter
        }
    }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        flat = try Self.flatten(content, width: w, ctx)
        height = try Self.height(of: flat, width: w, ctx)
        width = w
        return Size(width: w, height: height)
    }

    func split(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        content
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try Self.draw(flat, on: canvas, x: x, top: y + height, width: width, ctx)
    }
}

// MARK: - Reading

/// Builds `ul`, `ol` and `dl` lists.
struct ListReader {
    let ctx: LayoutContext
    let story: StoryReader

    func list(_ e: RMLElement) throws(RMLError) -> [Flowable] {
        switch e.name {
        case "dl": return try definitionList(e)
        default: return [try itemList(e)]
        }
    }

    /// A named `<listStyle>` with its `parent` chain applied, or nil (with a warning) if unknown.
    func namedStyle(_ rawName: String, at location: SourceLocation, depth: Int = 0) throws(RMLError) -> ListStyleSpec? {
        let name = rawName.hasPrefix("style.") ? String(rawName.dropFirst(6)) : rawName
        guard let def = ctx.listStyles[name] ?? ctx.listStyles[rawName] else {
            try ctx.diagnostics.warn("unknown list style '\(rawName)', the default list style used", at: location)
            return nil
        }
        var spec = ListStyleSpec()
        if let parent = def["parent"], depth < 20, let p = try namedStyle(parent, at: def.location, depth: depth + 1) {
            spec = p
        }
        try spec.apply(def, ctx, readStart: true)
        return spec
    }

    /// `ul` / `ol`: a block of indented item flowables with bullets.
    func itemList(_ e: RMLElement) throws(RMLError) -> Flowable {
        let ordered = e.name == "ol"
        var base = try e["style"].flatMap { n throws(RMLError) in try namedStyle(n, at: e.location) } ?? ListStyleSpec()
        try base.apply(e, ctx, readStart: true)
        // The counter (ordered) or current bullet (unordered) that items without a value use.
        var current: String
        if ordered {
            current = base.start ?? "1"
            if Int(current) == nil { current = "1" }
        } else {
            // z3c.rml: an unordered list is of bullet type 'bullet'; its `value` (default disc) is
            // the list's start, while items default to the style's start.
            base.bulletType = "bullet"
            current = e["value"]?.trimmingCharacters(in: .whitespaces) ?? "disc"
        }
        let counting = ListNumbering.numberTypes.contains(base.bulletType)
        let dedent = base.effectiveDedent
        var items: [Flowable] = []
        for node in e.children {
            guard case .element(let li) = node else {
                if case .text(let t) = node, !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try ctx.diagnostics.warn("text directly inside <\(e.name)> is ignored; put it in <li>", at: e.location)
                }
                continue
            }
            guard li.name == "li" else {
                try ctx.diagnostics.warn("<\(li.name)> in <\(e.name)> is ignored; lists contain <li> items", at: li.location)
                continue
            }
            var style = try li["style"].flatMap { n throws(RMLError) in try namedStyle(n, at: li.location) } ?? base
            try style.apply(li, ctx, readStart: false)
            if !ordered && li["bulletType"] == nil { style.bulletType = "bullet" }
            // Item content: flowables only, as in z3c.rml (text directly in <li> is ignored with a warning).
            let flowables = try story.flowables(li)
            guard !flowables.isEmpty else { continue }
            // The item's value: its own `value`, else (unordered) its style's start, else the running one.
            if let v = li["value"]?.trimmingCharacters(in: .whitespaces) {
                if ordered && Int(v) == nil {
                    try ctx.diagnostics.warn("attribute 'value' on <li>: '\(v)' is not a number", at: li.location)
                } else {
                    current = v
                }
            } else if !ordered, let s = style.start {
                current = s
            }
            // As ReportLab, an empty or zero value draws no bullet.
            let bullet = current.isEmpty || current == "0" ? nil : ListBullet(
                text: ListNumbering.label(value: current, type: style.bulletType, format: style.bulletFormat),
                style: style.inlineStyle(ctx, at: li.location), fontSize: style.bulletFontSize,
                offsetY: style.bulletOffsetY, dedent: dedent, align: style.bulletAlign, rightToLeft: style.bulletDir == "rtl")
            var first = true
            for f in flowables {
                if f is ActionFlowable { items.append(f); continue }
                items.append(ListItemIndenter.make(f, leftIndent: style.leftIndent, rightIndent: style.rightIndent,
                                                   bullet: first ? bullet : nil))
                first = false
            }
            if counting, let n = Int(current) { current = String(n + 1) }
        }
        return StackedFlowables(items, location: e.location)
    }

    /// `dl`: terms (`dt`) at the list's left edge, definitions (`dd`) indented by `leftIndent`
    /// (default 36, as ReportLab's Definition style).
    func definitionList(_ e: RMLElement) throws(RMLError) -> [Flowable] {
        let indent = try e.length("leftIndent", diagnostics: ctx.diagnostics) ?? 36
        let right = try e.length("rightIndent", diagnostics: ctx.diagnostics) ?? 0
        var items: [Flowable] = []
        for c in e.elements {
            switch c.name {
            case "dt", "dd":
                let isTerm = c.name == "dt"
                let styleName = c["style"] ?? e[isTerm ? "dtStyle" : "ddStyle"] ?? "Normal"
                var content: [Flowable]
                if c.elements.contains(where: { !Self.inlineNames.contains($0.name) }) {
                    content = try story.flowables(c)
                } else {
                    var style = try ctx.style(styleName, at: c.location)
                    try style.apply(c, diagnostics: ctx.diagnostics, colors: ctx.colors)
                    style.leftIndent = 0
                    content = [Paragraph(element: c, style: style)]
                }
                let l = isTerm ? 0 : (try c.length("leftIndent", diagnostics: ctx.diagnostics) ?? indent)
                for f in content {
                    items.append(f is ActionFlowable ? f : ListItemIndenter.make(f, leftIndent: l, rightIndent: right, bullet: nil))
                }
            default:
                try ctx.diagnostics.warn("<\(c.name)> in <dl> is ignored; definition lists contain <dt> and <dd>", at: c.location)
            }
        }
        return [StackedFlowables(items, location: e.location)]
    }

    private static let inlineNames: Set<String> = [
        "b", "i", "u", "strike", "s", "del", "strong", "em", "super", "sup", "sub", "font", "span", "a", "link", "br",
        "pageNumber", "pageCount", "getName", "seq", "seqreset", "seqReset", "unichar", "greek", "nobr", "img", "evalString",
        "name", "namedString", "index",
    ]
}
