/// A problem found in a document, with where it was found.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable { case warning, error }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "\(severity.rawValue): \(message)"
    }
}

/// An error that stops processing a document; it names the place in the source that caused it.
public struct RMLError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}

/// Collects warnings while a document is parsed and laid out; in strict mode a warning becomes an error.
public final class DiagnosticSink: @unchecked Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    /// When true, `warn` throws instead of recording.
    public let strict: Bool
    private var seen = Set<Diagnostic>()

    public init(strict: Bool = false) { self.strict = strict }

    /// Records a warning (once per message and location); throws in strict mode.
    public func warn(_ message: String, at location: SourceLocation?) throws(RMLError) {
        if strict { throw RMLError(message, at: location) }
        let d = Diagnostic(.warning, message, at: location)
        if seen.insert(d).inserted { diagnostics.append(d) }
    }

    /// Records a warning that never becomes an error (informational problems such as missing glyphs).
    public func note(_ message: String, at location: SourceLocation?) {
        let d = Diagnostic(.warning, message, at: location)
        if seen.insert(d).inserted { diagnostics.append(d) }
    }
}
