import FolioRML

/// A failure while producing a report's RML: in a stylesheet, in data, in a package or a data
/// source. Carries the place it comes from when there is one.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for HTTP status codes and exit codes.
    public enum Kind: String, Sendable {
        case stylesheet, data, definition, package, database, limit, security, notFound
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): error: \(message)" }
        return "error: \(message)"
    }
}
