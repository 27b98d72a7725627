/// A position in a source file: where an RML node, an error or a warning comes from.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's path as given by the user (or a label such as `<stdin>`).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the format editors and terminals link to.
    public var description: String { "\(file):\(line):\(column)" }
}
