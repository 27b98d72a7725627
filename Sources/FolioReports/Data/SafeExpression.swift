import Foundation

/// A value in the expression language of `type="eval"` nodes and `call` arguments.
public indirect enum ExprValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([ExprValue])
    case record(model: String, id: Int64)

    init(_ v: DataValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .record(let m, let id): self = .record(model: m, id: id)
        case .records(let m, let ids): self = .list(ids.map { .record(model: m, id: $0) })
        }
    }

    /// Python's truth value: None, False, 0, '', [] are false; records are true.
    public var truthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .record: return true
        }
    }

    var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    var typeName: String {
        switch self {
        case .null: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "string"
        case .list: return "list"
        case .record(let m, _): return "record of \(m)"
        }
    }
}

/// What an expression can see besides literals: the current record (its fields by name, or as
/// `obj`), named variables, the print request's form values (`form('name')`) and the clock.
public struct ExpressionScope {
    public var model: String?
    public var recordID: Int64?
    public var variables: [String: ExprValue]
    public var form: [String: String]
    public var now: Date
    public var timeZone: TimeZone

    public init(model: String? = nil, recordID: Int64? = nil, variables: [String: ExprValue] = [:],
                form: [String: String] = [:], now: Date = Date(), timeZone: TimeZone = .current) {
        self.model = model; self.recordID = recordID; self.variables = variables
        self.form = form; self.now = now; self.timeZone = timeZone
    }
}

/// A small, safe expression language for `type="eval"` (never a host-language eval).
///
/// - literals: `12`, `1.5`, `'text'`, `"text"`, `True`, `False`, `None`, `[1, 2]`;
/// - names: fields of the current record and dotted paths (`partner_id.country_id.name`; a to-many
///   step gives a list: `move_lines.product_qty`), `obj` (the record itself, `obj.name`), variables;
/// - operators: `+ - * / // %`, comparisons `== != < <= > >=` (chainable), `in`, `not in`,
///   `and or not`, `x if cond else y`, indexing `list[0]`, parentheses;
/// - functions: `len sum min max abs round(x[, n]) str int float bool upper lower strip`,
///   `time.strftime(fmt)` (now), `format_date(value, fmt)` (an ISO date or datetime),
///   `form(name)` (a print-request form value), `today()` (dd/mm/YYYY).
///
/// Names starting with `_` are refused (no `__import__`, no dunder attributes); there are no
/// methods, assignments, lambdas or imports. Limits: 4096 characters, 64 levels of nesting, a budget
/// of evaluation steps and 1 MB strings. Every violation is a `ReportError` of kind `.definition`
/// (syntax, unknown names) or `.data`/`.limit` (bad operands, limits), never a crash.
public struct SafeExpression: Sendable {
    public let source: String
    let root: ExprNode

    public static let maxLength = 4096
    public static let maxDepth = 64
    public static let maxSteps = 200_000
    public static let maxStringLength = 1 << 20

    public init(_ source: String) throws(ReportError) {
        guard source.utf8.count <= Self.maxLength else {
            throw ReportError(.limit, "expression too long (\(source.utf8.count) bytes, at most \(Self.maxLength))")
        }
        self.source = source
        var parser = ExprParser(tokens: try ExprLexer.tokenize(source), source: source)
        root = try parser.parseAll()
    }

    /// Evaluates with records read from `records` (fields of `scope.model`/`scope.recordID`).
    public func evaluate(_ scope: ExpressionScope = ExpressionScope(), records: (any RecordSource)? = nil) throws(ReportError) -> ExprValue {
        try evaluate(scope, cache: records.map { RecordCache(source: $0) })
    }

    func evaluate(_ scope: ExpressionScope, cache: RecordCache?) throws(ReportError) -> ExprValue {
        var interpreter = ExprInterpreter(scope: scope, cache: cache)
        do {
            return try interpreter.eval(root)
        } catch {
            throw ReportError(error.kind, "in expression '\(source.prefix(80))': \(error.message)")
        }
    }

    /// The text a template prints for a value (records print their name).
    func format(_ value: ExprValue, cache: RecordCache?) throws(ReportError) -> String {
        try ExprInterpreter.str(value, cache: cache)
    }
}

// MARK: - Lexer

enum ExprToken: Equatable {
    case int(Int64)
    case double(Double)
    case string(String)
    case name(String)
    case op(String)
    case end
}

enum ExprLexer {
    static let keywords: Set<String> = ["and", "or", "not", "in", "if", "else", "True", "False", "None"]
    static let forbiddenKeywords: Set<String> = ["lambda", "import", "from", "exec", "eval", "def", "class",
                                                 "yield", "await", "global", "nonlocal", "del", "assert", "with", "for", "while"]

    static func tokenize(_ s: String) throws(ReportError) -> [(ExprToken, Int)] {
        let chars = Array(s.unicodeScalars)
        var i = 0
        var out: [(ExprToken, Int)] = []
        func fail(_ message: String, _ at: Int) -> ReportError {
            ReportError(.definition, "\(message) at column \(at + 1)")
        }
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && ("0"..."9").contains(chars[i + 1])) {
                var j = i
                var isFloat = false
                while j < chars.count, ("0"..."9").contains(chars[j]) || chars[j] == "." || chars[j] == "_" {
                    if chars[j] == "." {
                        if isFloat { break }
                        isFloat = true
                    }
                    j += 1
                }
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    if k < chars.count, ("0"..."9").contains(chars[k]) {
                        isFloat = true
                        j = k
                        while j < chars.count, ("0"..."9").contains(chars[j]) { j += 1 }
                    }
                }
                let text = String(String.UnicodeScalarView(chars[i..<j])).replacingOccurrences(of: "_", with: "")
                if isFloat {
                    guard let d = Double(text), d.isFinite else { throw fail("invalid number '\(text)'", start) }
                    out.append((.double(d), start))
                } else {
                    guard let v = Int64(text) else { throw fail("integer '\(text)' out of range", start) }
                    out.append((.int(v), start))
                }
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var text = String.UnicodeScalarView()
                var closed = false
                while j < chars.count {
                    let d = chars[j]
                    if d == c { closed = true; j += 1; break }
                    if d == "\n" { break }
                    if d == "\\" && j + 1 < chars.count {
                        let e = chars[j + 1]
                        switch e {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "r": text.append("\r")
                        case "\\", "'", "\"": text.append(e)
                        default: text.append("\\"); text.append(e)
                        }
                        j += 2
                        continue
                    }
                    text.append(d)
                    j += 1
                }
                guard closed else { throw fail("unterminated string", start) }
                out.append((.string(String(text)), start))
                i = j
                continue
            }
            if c == "_" || c.properties.isAlphabetic {
                var j = i
                while j < chars.count, chars[j] == "_" || chars[j].properties.isAlphabetic || (chars[j].isASCII && ("0"..."9").contains(chars[j])) { j += 1 }
                let name = String(String.UnicodeScalarView(chars[i..<j]))
                if name.hasPrefix("_") {
                    throw fail("names starting with '_' are not allowed ('\(name)')", start)
                }
                if forbiddenKeywords.contains(name) {
                    throw fail("'\(name)' is not allowed in expressions", start)
                }
                out.append((keywords.contains(name) ? .op(name) : .name(name), start))
                i = j
                continue
            }
            let two = i + 1 < chars.count ? String(String.UnicodeScalarView([c, chars[i + 1]])) : ""
            if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                if two == "**" { throw fail("'**' is not supported", start) }
                out.append((.op(two), start))
                i += 2
                continue
            }
            if "+-*/%<>()[],.".unicodeScalars.contains(c) {
                out.append((.op(String(c)), start))
                i += 1
                continue
            }
            throw fail("unexpected character '\(c)'", start)
        }
        out.append((.end, chars.count))
        return out
    }
}

// MARK: - Syntax tree and parser

indirect enum ExprNode: Sendable {
    case literal(ExprValue)
    case name(String)
    case attribute(ExprNode, String)
    case index(ExprNode, ExprNode)
    case call(String, [ExprNode])
    case list([ExprNode])
    case negate(ExprNode)
    case not(ExprNode)
    case arithmetic(ExprNode, [(String, ExprNode)])
    case comparison(ExprNode, [(String, ExprNode)])
    case and([ExprNode])
    case or([ExprNode])
    case conditional(then: ExprNode, condition: ExprNode, otherwise: ExprNode)
}

struct ExprParser {
    let tokens: [(ExprToken, Int)]
    let source: String
    var pos = 0
    var depth = 0

    init(tokens: [(ExprToken, Int)], source: String) {
        self.tokens = tokens
        self.source = source
    }

    var current: ExprToken { tokens[pos].0 }

    func fail(_ message: String) -> ReportError {
        ReportError(.definition, "\(message) at column \(tokens[pos].1 + 1)")
    }

    mutating func accept(_ op: String) -> Bool {
        if current == .op(op) { pos += 1; return true }
        return false
    }

    mutating func expect(_ op: String) throws(ReportError) {
        guard accept(op) else { throw fail("expected '\(op)'") }
    }

    mutating func nested<T>(_ body: (inout ExprParser) throws(ReportError) -> T) throws(ReportError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= SafeExpression.maxDepth else {
            throw ReportError(.limit, "expression nested too deeply (more than \(SafeExpression.maxDepth) levels)")
        }
        return try body(&self)
    }

    mutating func parseAll() throws(ReportError) -> ExprNode {
        guard current != .end else { throw ReportError(.definition, "empty expression") }
        let node = try parseExpression()
        guard current == .end else { throw fail("unexpected \(describe(current))") }
        return node
    }

    func describe(_ t: ExprToken) -> String {
        switch t {
        case .int(let i): return "number \(i)"
        case .double(let d): return "number \(d)"
        case .string: return "string"
        case .name(let n): return "name '\(n)'"
        case .op(let o): return "'\(o)'"
        case .end: return "end of expression"
        }
    }

    mutating func parseExpression() throws(ReportError) -> ExprNode {
        try nested { (p: inout ExprParser) throws(ReportError) -> ExprNode in
            let value = try p.parseOr()
            if p.accept("if") {
                let condition = try p.parseOr()
                try p.expect("else")
                let other = try p.parseExpression()
                return .conditional(then: value, condition: condition, otherwise: other)
            }
            return value
        }
    }

    mutating func parseOr() throws(ReportError) -> ExprNode {
        var items = [try parseAnd()]
        while accept("or") { items.append(try parseAnd()) }
        return items.count == 1 ? items[0] : .or(items)
    }

    mutating func parseAnd() throws(ReportError) -> ExprNode {
        var items = [try parseNot()]
        while accept("and") { items.append(try parseNot()) }
        return items.count == 1 ? items[0] : .and(items)
    }

    mutating func parseNot() throws(ReportError) -> ExprNode {
        if accept("not") {
            return try nested { (p: inout ExprParser) throws(ReportError) -> ExprNode in .not(try p.parseNot()) }
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(ReportError) -> ExprNode {
        let first = try parseAdditive()
        var rest: [(String, ExprNode)] = []
        while true {
            var op: String?
            if case .op(let o) = current, ["==", "!=", "<", "<=", ">", ">=", "in"].contains(o) {
                op = o; pos += 1
            } else if current == .op("not"), pos + 1 < tokens.count, tokens[pos + 1].0 == .op("in") {
                op = "not in"; pos += 2
            }
            guard let op else { break }
            rest.append((op, try parseAdditive()))
        }
        return rest.isEmpty ? first : .comparison(first, rest)
    }

    mutating func parseAdditive() throws(ReportError) -> ExprNode {
        let first = try parseMultiplicative()
        var rest: [(String, ExprNode)] = []
        while case .op(let o) = current, o == "+" || o == "-" {
            pos += 1
            rest.append((o, try parseMultiplicative()))
        }
        return rest.isEmpty ? first : .arithmetic(first, rest)
    }

    mutating func parseMultiplicative() throws(ReportError) -> ExprNode {
        let first = try parseUnary()
        var rest: [(String, ExprNode)] = []
        while case .op(let o) = current, o == "*" || o == "/" || o == "//" || o == "%" {
            pos += 1
            rest.append((o, try parseUnary()))
        }
        return rest.isEmpty ? first : .arithmetic(first, rest)
    }

    mutating func parseUnary() throws(ReportError) -> ExprNode {
        if accept("-") {
            return try nested { (p: inout ExprParser) throws(ReportError) -> ExprNode in .negate(try p.parseUnary()) }
        }
        if accept("+") {
            return try nested { (p: inout ExprParser) throws(ReportError) -> ExprNode in try p.parseUnary() }
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws(ReportError) -> ExprNode {
        var node = try parsePrimary()
        var chain = 0
        while true {
            chain += 1
            if chain > 256 { throw ReportError(.limit, "expression too complex") }
            if accept(".") {
                guard case .name(let n) = current else { throw fail("expected a field name after '.'") }
                pos += 1
                node = .attribute(node, n)
            } else if accept("(") {
                guard let callee = Self.dottedName(node) else { throw fail("only named functions can be called") }
                var args: [ExprNode] = []
                if !accept(")") {
                    repeat {
                        args.append(try parseExpression())
                    } while accept(",")
                    try expect(")")
                }
                node = .call(callee, args)
            } else if accept("[") {
                let index = try parseExpression()
                try expect("]")
                node = .index(node, index)
            } else {
                return node
            }
        }
    }

    static func dottedName(_ node: ExprNode) -> String? {
        switch node {
        case .name(let n): return n
        case .attribute(let base, let n): return dottedName(base).map { $0 + "." + n }
        default: return nil
        }
    }

    mutating func parsePrimary() throws(ReportError) -> ExprNode {
        let token = current
        switch token {
        case .int(let i): pos += 1; return .literal(.int(i))
        case .double(let d): pos += 1; return .literal(.double(d))
        case .string(let s):
            pos += 1
            var text = s
            // Adjacent string literals concatenate, as in Python.
            while case .string(let more) = current { text += more; pos += 1 }
            return .literal(.string(text))
        case .name(let n): pos += 1; return .name(n)
        case .op("True"): pos += 1; return .literal(.bool(true))
        case .op("False"): pos += 1; return .literal(.bool(false))
        case .op("None"): pos += 1; return .literal(.null)
        case .op("("):
            pos += 1
            let inner = try parseExpression()
            try expect(")")
            return inner
        case .op("["):
            pos += 1
            var items: [ExprNode] = []
            if !accept("]") {
                repeat {
                    if current == .op("]") { break }
                    items.append(try parseExpression())
                } while accept(",")
                try expect("]")
            }
            return .list(items)
        default:
            throw fail("unexpected \(describe(token))")
        }
    }
}

// MARK: - Interpreter

struct ExprInterpreter {
    let scope: ExpressionScope
    let cache: RecordCache?
    var steps = 0

    init(scope: ExpressionScope, cache: RecordCache?) {
        self.scope = scope
        self.cache = cache
    }

    mutating func step() throws(ReportError) {
        steps += 1
        if steps > SafeExpression.maxSteps { throw ReportError(.limit, "expression takes too many steps") }
    }

    mutating func eval(_ node: ExprNode) throws(ReportError) -> ExprValue {
        try step()
        switch node {
        case .literal(let v):
            return v
        case .list(let items):
            var out: [ExprValue] = []
            for item in items { out.append(try eval(item)) }
            return .list(out)
        case .name(let n):
            return try lookup(n)
        case .attribute(let base, let name):
            if case .name("time") = base { throw ReportError(.definition, "'time.\(name)' is only callable") }
            return try attribute(try eval(base), name)
        case .index(let base, let index):
            let b = try eval(base)
            let i = try eval(index)
            guard case .int(var k) = i else { throw ReportError(.data, "index must be an integer, not \(i.typeName)") }
            switch b {
            case .list(let l):
                if k < 0 { k += Int64(l.count) }
                guard k >= 0, k < l.count else { throw ReportError(.data, "list index \(k) out of range") }
                return l[Int(k)]
            case .string(let s):
                let chars = Array(s)
                if k < 0 { k += Int64(chars.count) }
                guard k >= 0, k < chars.count else { throw ReportError(.data, "string index \(k) out of range") }
                return .string(String(chars[Int(k)]))
            default:
                throw ReportError(.data, "cannot index a \(b.typeName)")
            }
        case .call(let name, let args):
            var values: [ExprValue] = []
            for a in args { values.append(try eval(a)) }
            return try call(name, values)
        case .negate(let inner):
            switch try eval(inner) {
            case .int(let i):
                guard i != .min else { throw ReportError(.data, "integer overflow") }
                return .int(-i)
            case .double(let d): return .double(-d)
            case .bool(let b): return .int(b ? -1 : 0)
            case let v: throw ReportError(.data, "cannot negate a \(v.typeName)")
            }
        case .not(let inner):
            return .bool(!(try eval(inner)).truthy)
        case .and(let items):
            var last = ExprValue.bool(true)
            for item in items {
                last = try eval(item)
                if !last.truthy { return last }
            }
            return last
        case .or(let items):
            var last = ExprValue.bool(false)
            for item in items {
                last = try eval(item)
                if last.truthy { return last }
            }
            return last
        case .conditional(let then, let condition, let otherwise):
            return try eval(condition).truthy ? try eval(then) : try eval(otherwise)
        case .arithmetic(let first, let rest):
            var acc = try eval(first)
            for (op, operand) in rest {
                try step()
                acc = try Self.arithmetic(op, acc, try eval(operand))
            }
            return acc
        case .comparison(let first, let rest):
            var left = try eval(first)
            for (op, operand) in rest {
                let right = try eval(operand)
                guard try compare(op, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        }
    }

    func lookup(_ name: String) throws(ReportError) -> ExprValue {
        if let v = scope.variables[name] { return v }
        if name == "obj" {
            guard let m = scope.model, let id = scope.recordID else { return .null }
            return .record(model: m, id: id)
        }
        if let m = scope.model, let cache, (try? cache.mapping.field(name, of: m)) != nil {
            guard let id = scope.recordID else { return .null }
            return try field(m, id, name)
        }
        if name == "time" { throw ReportError(.definition, "'time' can only be used as time.strftime(...)") }
        throw ReportError(.definition, "unknown name '\(name)'")
    }

    func field(_ model: String, _ id: Int64, _ name: String) throws(ReportError) -> ExprValue {
        guard let cache else { throw ReportError(.definition, "no records to read '\(name)' from") }
        return ExprValue(try cache.value(model, id, name))
    }

    mutating func attribute(_ base: ExprValue, _ name: String) throws(ReportError) -> ExprValue {
        switch base {
        case .record(let m, let id):
            guard let cache else { throw ReportError(.definition, "no records to read '\(name)' from") }
            _ = try cache.mapping.field(name, of: m)
            return try field(m, id, name)
        case .list(let items):
            var out: [ExprValue] = []
            for item in items {
                try step()
                switch try attribute(item, name) {
                case .list(let inner): out += inner
                case .null: continue
                case let v: out.append(v)
                }
            }
            return .list(out)
        case .null:
            return .null
        default:
            throw ReportError(.data, "a \(base.typeName) has no attribute '\(name)'")
        }
    }

    // MARK: operators

    static func arithmetic(_ op: String, _ a: ExprValue, _ b: ExprValue) throws(ReportError) -> ExprValue {
        switch (op, a, b) {
        case ("+", .string(let x), .string(let y)):
            guard x.utf8.count + y.utf8.count <= SafeExpression.maxStringLength else { throw ReportError(.limit, "string too long") }
            return .string(x + y)
        case ("+", .list(let x), .list(let y)):
            guard x.count + y.count <= 100_000 else { throw ReportError(.limit, "list too long") }
            return .list(x + y)
        default: break
        }
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case "+": let r = x.addingReportingOverflow(y); if !r.overflow { return .int(r.partialValue) }
            case "-": let r = x.subtractingReportingOverflow(y); if !r.overflow { return .int(r.partialValue) }
            case "*": let r = x.multipliedReportingOverflow(by: y); if !r.overflow { return .int(r.partialValue) }
            case "//", "%":
                guard y != 0 else { throw ReportError(.data, "division by zero") }
                guard !(x == .min && y == -1) else { throw ReportError(.data, "integer overflow") }
                var q = x / y
                if (x % y != 0) && ((x < 0) != (y < 0)) { q -= 1 }
                return op == "//" ? .int(q) : .int(x - q * y)
            default: break
            }
            if op != "/" { return .double(try double(op, Double(x), Double(y))) }
        }
        guard let x = a.number, let y = b.number else {
            throw ReportError(.data, "unsupported operand types for \(op): \(a.typeName) and \(b.typeName)")
        }
        return .double(try double(op, x, y))
    }

    static func double(_ op: String, _ x: Double, _ y: Double) throws(ReportError) -> Double {
        let r: Double
        switch op {
        case "+": r = x + y
        case "-": r = x - y
        case "*": r = x * y
        case "/":
            guard y != 0 else { throw ReportError(.data, "division by zero") }
            r = x / y
        case "//":
            guard y != 0 else { throw ReportError(.data, "division by zero") }
            r = (x / y).rounded(.down)
        case "%":
            guard y != 0 else { throw ReportError(.data, "division by zero") }
            let m = x.truncatingRemainder(dividingBy: y)
            r = (m != 0 && (m < 0) != (y < 0)) ? m + y : m
        default: throw ReportError(.definition, "unknown operator \(op)")
        }
        guard r.isFinite else { throw ReportError(.data, "numeric overflow") }
        return r
    }

    mutating func compare(_ op: String, _ a: ExprValue, _ b: ExprValue) throws(ReportError) -> Bool {
        switch op {
        case "==": return Self.equal(a, b)
        case "!=": return !Self.equal(a, b)
        case "in", "not in":
            let found: Bool
            switch b {
            case .list(let items):
                found = items.contains { Self.equal(a, $0) }
            case .string(let s):
                guard case .string(let needle) = a else { throw ReportError(.data, "'in <string>' needs a string on the left, not \(a.typeName)") }
                found = needle.isEmpty || s.contains(needle)
            default:
                throw ReportError(.data, "argument of type \(b.typeName) is not iterable")
            }
            return op == "in" ? found : !found
        default:
            let order: Int
            if let x = a.number, let y = b.number {
                order = x < y ? -1 : (x > y ? 1 : 0)
            } else if case .string(let x) = a, case .string(let y) = b {
                order = x < y ? -1 : (x > y ? 1 : 0)
            } else {
                throw ReportError(.data, "cannot compare \(a.typeName) and \(b.typeName) with \(op)")
            }
            switch op {
            case "<": return order < 0
            case "<=": return order <= 0
            case ">": return order > 0
            default: return order >= 0
            }
        }
    }

    static func equal(_ a: ExprValue, _ b: ExprValue) -> Bool {
        if let x = a.number, let y = b.number { return x == y }
        return a == b
    }

    // MARK: functions

    mutating func call(_ name: String, _ args: [ExprValue]) throws(ReportError) -> ExprValue {
        func arity(_ n: ClosedRange<Int>) throws(ReportError) {
            guard n.contains(args.count) else {
                throw ReportError(.definition, "\(name)() takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)") argument(s), \(args.count) given")
            }
        }
        func items() -> [ExprValue] {
            if args.count == 1, case .list(let l) = args[0] { return l }
            return args
        }
        switch name {
        case "len":
            try arity(1...1)
            switch args[0] {
            case .list(let l): return .int(Int64(l.count))
            case .string(let s): return .int(Int64(s.count))
            case .null: return .int(0)
            default: throw ReportError(.data, "len() of a \(args[0].typeName)")
            }
        case "sum":
            try arity(1...1)
            guard case .list(let l) = args[0] else {
                if args[0] == .null { return .int(0) }
                throw ReportError(.data, "sum() needs a list, not \(args[0].typeName)")
            }
            var acc = ExprValue.int(0)
            for v in l where v != .null {
                try step()
                acc = try Self.arithmetic("+", acc, v)
            }
            return acc
        case "min", "max":
            let values = items().filter { $0 != .null }
            guard var best = values.first else { throw ReportError(.data, "\(name)() of an empty list") }
            for v in values.dropFirst() {
                try step()
                if try compare(name == "min" ? "<" : ">", v, best) { best = v }
            }
            return best
        case "abs":
            try arity(1...1)
            switch args[0] {
            case .int(let i): guard i != .min else { throw ReportError(.data, "integer overflow") }; return .int(abs(i))
            case .double(let d): return .double(abs(d))
            default: throw ReportError(.data, "abs() of a \(args[0].typeName)")
            }
        case "round":
            try arity(1...2)
            guard let x = args[0].number else { throw ReportError(.data, "round() of a \(args[0].typeName)") }
            var digits: Int64 = 0
            if args.count == 2 {
                guard case .int(let n) = args[1], (-15...15).contains(n) else { throw ReportError(.data, "round() needs 0 to 15 digits") }
                digits = n
            }
            let scale = pow(10.0, Double(digits))
            let scaled = x * scale
            guard scaled.isFinite else { return .double(x) }
            return .double(scaled.rounded(.toNearestOrAwayFromZero) / scale)
        case "str":
            try arity(1...1)
            return .string(try Self.str(args[0], cache: cache))
        case "int":
            try arity(1...1)
            switch args[0] {
            case .int: return args[0]
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d):
                guard let i = Int64(exactly: d.rounded(.towardZero)) else { throw ReportError(.data, "int() of \(d) out of range") }
                return .int(i)
            case .string(let s):
                guard let i = Int64(s.trimmingCharacters(in: .whitespaces)) else { throw ReportError(.data, "int() of '\(s.prefix(40))'") }
                return .int(i)
            case .null: return .int(0)
            default: throw ReportError(.data, "int() of a \(args[0].typeName)")
            }
        case "float":
            try arity(1...1)
            if case .string(let s) = args[0] {
                guard let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite else { throw ReportError(.data, "float() of '\(s.prefix(40))'") }
                return .double(d)
            }
            if args[0] == .null { return .double(0) }
            guard let d = args[0].number else { throw ReportError(.data, "float() of a \(args[0].typeName)") }
            return .double(d)
        case "bool":
            try arity(1...1)
            return .bool(args[0].truthy)
        case "upper", "lower", "strip":
            try arity(1...1)
            let s = try Self.str(args[0], cache: cache)
            switch name {
            case "upper": return .string(s.uppercased())
            case "lower": return .string(s.lowercased())
            default: return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        case "time.strftime":
            try arity(1...1)
            guard case .string(let fmt) = args[0] else { throw ReportError(.data, "time.strftime() needs a format string") }
            return .string(try DateFormatting.strftime(fmt, scope.now, timeZone: scope.timeZone))
        case "format_date":
            try arity(2...2)
            guard case .string(let fmt) = args[1] else { throw ReportError(.data, "format_date() needs a format string") }
            guard case .string(let text) = args[0], !text.isEmpty else { return .string("") }
            guard let date = DateFormatting.parseISO(text) else { throw ReportError(.data, "format_date(): '\(text.prefix(40))' is not a date") }
            return .string(try DateFormatting.strftime(fmt, date, timeZone: DateFormatting.utcZone))
        case "today":
            try arity(0...0)
            return .string(try DateFormatting.strftime("%d/%m/%Y", scope.now, timeZone: scope.timeZone))
        case "form":
            try arity(1...1)
            guard case .string(let key) = args[0] else { throw ReportError(.data, "form() needs a name") }
            return .string(scope.form[key] ?? "")
        default:
            throw ReportError(.definition, "unknown function '\(name)'")
        }
    }

    /// Python-like `str()`: None → '' (OpenERP printed empty values as ''), records → their name.
    static func str(_ v: ExprValue, cache: RecordCache?) throws(ReportError) -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return DataValue.pythonString(d)
        case .string(let s): return s
        case .record(let m, let id): return try DataTemplateEvaluation.displayName(m, id, cache: cache)
        case .list(let items):
            var parts: [String] = []
            for item in items {
                if case .string(let s) = item { parts.append("'" + s + "'") } else { parts.append(try str(item, cache: cache)) }
            }
            return "[" + parts.joined(separator: ", ") + "]"
        }
    }
}

/// strftime-style formatting without the C library (same output on every host).
enum DateFormatting {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func strftime(_ format: String, _ date: Date, timeZone: TimeZone) throws(ReportError) -> String {
        guard format.count <= 256 else { throw ReportError(.limit, "date format too long") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        var out = ""
        var chars = format.makeIterator()
        while let ch = chars.next() {
            guard ch == "%" else { out.append(ch); continue }
            guard let f = chars.next() else { throw ReportError(.data, "date format ends with '%'") }
            switch f {
            case "d": out += two(c.day)
            case "m": out += two(c.month)
            case "Y": out += String(c.year ?? 0)
            case "y": out += two((c.year ?? 0) % 100)
            case "H": out += two(c.hour)
            case "I": out += two(((c.hour ?? 0) + 11) % 12 + 1)
            case "p": out += (c.hour ?? 0) < 12 ? "AM" : "PM"
            case "M": out += two(c.minute)
            case "S": out += two(c.second)
            case "j": out += String(repeating: "0", count: max(0, 3 - String(dayOfYear).count)) + String(dayOfYear)
            case "B": out += monthNames[(c.month ?? 1) - 1]
            case "b": out += String(monthNames[(c.month ?? 1) - 1].prefix(3))
            case "A": out += dayNames[(c.weekday ?? 1) - 1]
            case "a": out += String(dayNames[(c.weekday ?? 1) - 1].prefix(3))
            case "%": out += "%"
            default: throw ReportError(.data, "unsupported date format directive '%\(f)'")
            }
        }
        return out
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (PostgreSQL's ISO output), read as UTC.
    static func parseISO(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let d = parts.first, parts.count <= 2 else { return nil }
        let ymd = d.split(separator: "-", omittingEmptySubsequences: false)
        guard ymd.count == 3, let y = Int(ymd[0]), let mo = Int(ymd[1]), let day = Int(ymd[2]),
              (1...9999).contains(y), (1...12).contains(mo), (1...31).contains(day) else { return nil }
        var comps = DateComponents(year: y, month: mo, day: day)
        if parts.count > 1 {
            let time = parts[1].prefix { $0 != "+" && $0 != "Z" }
            let hms = time.split(separator: ":", omittingEmptySubsequences: false)
            guard hms.count == 2 || hms.count == 3, let h = Int(hms[0]), let mi = Int(hms[1]),
                  (0...23).contains(h), (0...59).contains(mi) else { return nil }
            comps.hour = h
            comps.minute = mi
            if hms.count == 3 {
                guard let sec = Double(hms[2]), sec >= 0, sec < 61 else { return nil }
                comps.second = Int(sec)
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utcZone
        return calendar.date(from: comps)
    }

    static let utcZone = TimeZone(secondsFromGMT: 0) ?? TimeZone.current
}
