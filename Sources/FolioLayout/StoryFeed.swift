import FolioRML

/// The story's flowables in order, made as the layout asks for them: from the parsed tree, or read
/// from a streamed document's source one element at a time, a long table row by row.
///
/// Flowables marked keep-with-next are chained to the one that follows them here, as
/// `StoryReader.applyKeepWithNext` does for a whole list.
final class StoryFeed {
    private let reader: StoryReader
    private let cursor: RMLStoryCursor?
    private var made: [Flowable] = []
    private var madeIndex = 0
    private var pending: [Flowable] = []
    /// The streamed table being read: it is read to its end before anything after it.
    private var openTable: TableModel?
    private var ended = false
    /// Tree stories come chained already.
    private let chains: Bool

    /// The flowables of a story held in the tree.
    init(flowables: [Flowable], reader: StoryReader) {
        self.reader = reader
        cursor = nil
        made = flowables
        ended = true
        chains = false
    }

    /// The flowables of a streamed story.
    init(cursor: RMLStoryCursor, reader: StoryReader) {
        self.reader = reader
        self.cursor = cursor
        chains = true
    }

    /// The next flowable, or nil at the end of the story.
    func next() throws(RMLError) -> Flowable? {
        while true {
            guard let f = try nextMade() else {
                if pending.isEmpty { return nil }
                defer { pending = [] }
                return pending.count > 1 ? KeepTogether(pending, location: pending[0].location) : pending[0]
            }
            if !chains { return f }
            pending.append(f)
            if f.keepWithNext && !(f is ActionFlowable) { continue }
            defer { pending = [] }
            return pending.count > 1 ? KeepTogether(pending, location: pending[0].location) : pending[0]
        }
    }

    private func nextMade() throws(RMLError) -> Flowable? {
        while madeIndex >= made.count {
            if ended { return nil }
            made = []
            madeIndex = 0
            try readNext()
        }
        defer { madeIndex += 1 }
        return made[madeIndex]
    }

    /// Reads the next element of the story and makes its flowables.
    private func readNext() throws(RMLError) {
        guard let cursor else { ended = true; return }
        // Anything after a long table comes after all its rows.
        if let t = openTable {
            try t.loadAll()
            openTable = nil
        }
        while true {
            guard let item = try cursor.next() else { ended = true; return }
            switch item {
            case .text(let t):
                if !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try reader.ctx.diagnostics.warn("text outside any element in <story> is ignored", at: cursor.story.location)
                }
            case .element(let e, let empty):
                if (e.name == "blockTable" || e.name == "table") && !empty {
                    let (flowable, model) = try TableReader(ctx: reader.ctx, story: reader).streamedTable(e, cursor: cursor)
                    openTable = model
                    made = [flowable]
                } else {
                    made = try reader.flowables(for: try cursor.finish(e, isEmpty: empty))
                }
                if !made.isEmpty { return }
            }
        }
    }
}
