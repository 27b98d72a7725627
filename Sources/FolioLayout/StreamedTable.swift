import FolioRML

extension TableReader {
    /// How many rows are read before the table is built, to learn the column count.
    static let streamedFirstRows = 32

    /// A `<blockTable>` of a streamed story, whose start tag the cursor just gave: its style and
    /// first rows are read now, the other rows as the layout needs them.
    ///
    /// Differences from a table read whole: the column count comes from the first rows (longer
    /// rows later are cut, with a warning), and table styles must come before the rows (a
    /// `<blockTableStyle>` after them is reported and ignored).
    func streamedTable(_ e: RMLElement, cursor: RMLStoryCursor) throws(RMLError) -> (Flowable, TableModel?) {
        try cursor.enter(e)
        var commands = try namedStyleCommands(e)
        var keepWithNext = false
        let source = StreamedTableRows(reader: self, cursor: cursor, table: e)
        var first: [TableSourceRow] = []
        while first.count < Self.streamedFirstRows {
            guard let child = try source.nextElement() else { break }
            switch child.name {
            case "tr":
                first.append(try row(child, index: first.count))
            case "blockTableStyle" where first.isEmpty:
                commands += try TableStyleReader(ctx: ctx).commands(child.elements)
                if let k = try child.bool("keepWithNext", diagnostics: ctx.diagnostics) { keepWithNext = k }
            case "bulkData" where first.isEmpty:
                let rows = Self.bulkRows(child.text).map { $0.map { TableCellValue.text($0) } }
                first = rows.map { TableSourceRow(cells: $0, commands: [], location: child.location) }
            default:
                try source.misplaced(child)
            }
        }
        let ncols = first.map(\.cells.count).max() ?? 0
        guard !first.isEmpty, ncols > 0 else {
            try cursor.leave()
            try ctx.diagnostics.warn("<blockTable> has no rows or no cells and is left out", at: e.location)
            return (Spacer(width: 0, height: 0, location: e.location), nil)
        }
        source.ncols = ncols
        let (flowable, model) = try build(e, firstRows: first, source: source.isFinished ? nil : source, ncols: ncols,
                                          commands: commands, keepWithNext: keepWithNext)
        return (flowable, model)
    }
}

/// Reads the rest of a streamed table's rows from the story cursor.
final class StreamedTableRows: TableRowSource {
    private let reader: TableReader
    private let cursor: RMLStoryCursor
    private let table: RMLElement
    var ncols = 0
    private(set) var isFinished = false

    init(reader: TableReader, cursor: RMLStoryCursor, table: RMLElement) {
        self.reader = reader
        self.cursor = cursor
        self.table = table
    }

    /// The next child element of the table, whole; nil after its end tag.
    func nextElement() throws(RMLError) -> RMLElement? {
        if isFinished { return nil }
        while let item = try cursor.next() {
            if case .element(let e, let empty) = item { return try cursor.finish(e, isEmpty: empty) }
        }
        isFinished = true
        return nil
    }

    /// Reports a child the streamed table cannot take where it is.
    func misplaced(_ child: RMLElement) throws(RMLError) {
        switch child.name {
        case "blockTableStyle", "bulkData":
            try reader.ctx.diagnostics.warn("<\(child.name)> after the rows of a long table is ignored: put it before the first <tr>", at: child.location)
        default:
            try reader.ctx.diagnostics.warn("<\(child.name)> is not allowed in <blockTable> and is ignored", at: child.location)
        }
    }

    func nextRow(index: Int) throws(RMLError) -> TableSourceRow? {
        while let child = try nextElement() {
            guard child.name == "tr" else { try misplaced(child); continue }
            let r = try reader.row(child, index: index)
            if r.cells.count > ncols {
                try reader.ctx.diagnostics.warn("this row has \(r.cells.count) cells but the table's first rows have \(ncols); the cells beyond are left out", at: child.location)
            }
            return r
        }
        return nil
    }
}
