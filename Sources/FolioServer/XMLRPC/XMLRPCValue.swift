import Foundation

/// An XML-RPC value (the types of the XML-RPC specification, plus `nil` as Python sends it with
/// `allow_none`).
public indirect enum XMLRPCValue: Sendable, Equatable {
    case int(Int)
    case bool(Bool)
    case string(String)
    case double(Double)
    case dateTime(String)
    case base64(Data)
    case array([XMLRPCValue])
    /// Members in the order given (answers are written in this order).
    case structure([(String, XMLRPCValue)])
    case null

    public static func == (a: XMLRPCValue, b: XMLRPCValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.dateTime(let x), .dateTime(let y)): return x == y
        case (.base64(let x), .base64(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.structure(let x), .structure(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.null, .null): return true
        default: return false
        }
    }

    /// A member of a struct.
    public subscript(_ key: String) -> XMLRPCValue? {
        if case .structure(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .string(let s): return Int(s)
        case .double(let d) where d == d.rounded(): return Int(d)
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A scalar as text (for stylesheet parameters): numbers, booleans and strings.
    public var scalarText: String? {
        switch self {
        case .int(let i): return String(i)
        case .bool(let b): return b ? "True" : "False"
        case .string(let s): return s
        case .double(let d): return String(d)
        case .dateTime(let s): return s
        default: return nil
        }
    }
}

/// A fault answered to an XML-RPC call. OpenERP's clients match on the code text
/// (`AccessDenied`, `ReportNotFound`).
public struct XMLRPCFault: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) { self.code = code; self.message = message }
}
