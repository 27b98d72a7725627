import FolioRender
import Foundation

/// What the browser is shown: the last good render's pages (kept while the source is broken),
/// the current problem if any, and which pages changed since the render before.
public struct PreviewSnapshot: Sendable, Codable, Equatable {
    public var version: Int
    public var title: String
    /// "ok", "error", or "rendering" before the first render.
    public var status: String
    public var pages: Int
    /// 1-based numbers of pages that differ from the previous good render.
    public var changedPages: [Int]
    public var warnings: [String]
    public var problem: PreviewOutcome.Problem?
    public var milliseconds: Int
    /// The file changes that caused this render.
    public var trigger: [String]
}

/// The watch session's state, shared by the render loop and the HTTP handlers; notifies
/// subscribers (the pages' event streams) of each new snapshot.
public actor PreviewState {
    private(set) var snapshot: PreviewSnapshot
    private var pages: [Data] = []
    private var highlights: [Int: Data] = [:]
    private var subscribers: [UUID: AsyncStream<PreviewSnapshot>.Continuation] = [:]

    public init(title: String) {
        snapshot = PreviewSnapshot(version: 0, title: title, status: "rendering", pages: 0, changedPages: [], warnings: [],
                                   problem: nil, milliseconds: 0, trigger: [])
    }

    public func current() -> PreviewSnapshot { snapshot }

    /// Records a render. A failed render keeps the last good pages.
    public func publish(_ outcome: PreviewOutcome, trigger: [String]) {
        var next = snapshot
        next.version += 1
        next.trigger = trigger
        next.milliseconds = outcome.milliseconds
        next.warnings = outcome.warnings
        if let problem = outcome.problem {
            next.status = "error"
            next.problem = problem
        } else {
            let (changed, newHighlights) = Self.compare(old: pages, new: outcome.pages)
            next.status = "ok"
            next.problem = nil
            next.pages = outcome.pages.count
            next.changedPages = pages.isEmpty ? [] : changed
            pages = outcome.pages
            highlights = newHighlights
        }
        snapshot = next
        for c in subscribers.values { c.yield(next) }
    }

    public func page(_ number: Int) -> Data? {
        number >= 1 && number <= pages.count ? pages[number - 1] : nil
    }

    /// The page with what changed since the previous render in red (the page itself when nothing did).
    public func highlight(_ number: Int) -> Data? {
        highlights[number] ?? page(number)
    }

    /// A stream of snapshots, starting with the current one.
    public func subscribe() -> AsyncStream<PreviewSnapshot> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: PreviewSnapshot.self, bufferingPolicy: .bufferingNewest(4))
        continuation.yield(snapshot)
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    public func finishAll() {
        for c in subscribers.values { c.finish() }
        subscribers.removeAll()
    }

    /// Pages that differ (1-based) and their highlight pictures.
    static func compare(old: [Data], new: [Data]) -> ([Int], [Int: Data]) {
        var changed: [Int] = []
        var pictures: [Int: Data] = [:]
        for (i, png) in new.enumerated() {
            if i < old.count && old[i] == png { continue }
            guard let image = GrayImage.decode([UInt8](png)) else { continue }
            if i < old.count, let before = GrayImage.decode([UInt8](old[i])) {
                let diff = PageDiff(old: before, new: image, threshold: 32, radius: 0)
                guard diff.bounds != nil else { continue }
                changed.append(i + 1)
                pictures[i + 1] = diff.highlightPNG(on: image)
            } else {
                changed.append(i + 1)
            }
        }
        return (changed, pictures)
    }
}
