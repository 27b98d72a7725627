import FolioRML

/// Width and height in points.
public struct Size: Sendable, Hashable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
}

/// Horizontal placement of a flowable narrower than its frame.
public enum HorizontalAlignment: Sendable { case left, center, right }

/// The platypus contract: a block that can say how big it is at a given width (`wrap`), cut itself
/// to fit a height (`split`), and draw itself (`draw`).
///
/// Flowables are created per document and used by one layout pass at a time.
public protocol Flowable: AnyObject {
    /// Measures the flowable for the available space; returns the size it needs.
    func wrap(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> Size
    /// Splits so that the first part fits `availableHeight`; empty when it cannot split there.
    func split(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable]
    /// Draws with the bottom-left corner of the wrapped box at (x, y).
    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError)
    var spaceBefore: Double { get }
    var spaceAfter: Double { get }
    var keepWithNext: Bool { get }
    var hAlign: HorizontalAlignment { get }
    /// Where the flowable comes from, for error messages.
    var location: SourceLocation? { get }
}

extension Flowable {
    public var spaceBefore: Double { 0 }
    public var spaceAfter: Double { 0 }
    public var keepWithNext: Bool { false }
    public var hAlign: HorizontalAlignment { .left }
    public func split(_ availableWidth: Double, _ availableHeight: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] { [] }
}

/// Instructions in the story that change where the next flowables go.
public enum FlowAction: Sendable {
    /// Continue in the next frame (optionally a named one).
    case nextFrame(String?)
    /// Start a new page.
    case nextPage
    /// Use this page template from the next page on.
    case setNextTemplate(String)
    /// Use this frame next.
    case setNextFrame(String)
    /// Switch to a named frame now.
    case currentFrame(String)
    /// Start a new frame when less than this height remains.
    case conditionalBreak(Double)
}

/// A story element that does not draw but directs the layout.
public final class ActionFlowable: Flowable {
    public let action: FlowAction
    public let location: SourceLocation?
    public init(_ action: FlowAction, location: SourceLocation?) {
        self.action = action
        self.location = location
    }
    public func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size { Size(width: 0, height: 0) }
    public func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) {}
}

/// Vertical space (`<spacer>`).
public final class Spacer: Flowable {
    public let width: Double
    public let height: Double
    public let location: SourceLocation?
    public init(width: Double, height: Double, location: SourceLocation?) {
        self.width = width; self.height = height; self.location = location
    }
    /// As ReportLab: a spacer that does not fit moves to the next frame (it is not shortened).
    public func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size { Size(width: width, height: height) }
    public func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) {}
}

/// Runs a closure at draw time on the page where it lands (named destinations, outline entries,
/// `namedString`, page-number resets).
public final class MarkerFlowable: Flowable {
    public let location: SourceLocation?
    let onDraw: (PageCanvas, Double, Double, LayoutContext) throws(RMLError) -> Void
    public init(location: SourceLocation?, onDraw: @escaping (PageCanvas, Double, Double, LayoutContext) throws(RMLError) -> Void) {
        self.location = location
        self.onDraw = onDraw
    }
    public func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) -> Size { Size(width: 0, height: 0) }
    public func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try onDraw(canvas, x, y, ctx)
    }
}
