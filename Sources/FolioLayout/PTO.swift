import FolioRML

/// Builds `<pto>` ("please turn over"): content with a trailer drawn at the bottom of a frame where
/// the content breaks (`pto_trailer`) and a header drawn at the top of the continuation (`pto_header`).
struct PTOReader {
    let ctx: LayoutContext
    let story: StoryReader

    func make(_ e: RMLElement) throws(RMLError) -> [Flowable] {
        var header: [Flowable] = []
        var trailer: [Flowable] = []
        var content: [Flowable] = []
        for node in e.children {
            switch node {
            case .text(let t):
                if !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try ctx.diagnostics.warn("text outside any element in <pto> is ignored", at: e.location)
                }
            case .element(let c):
                switch c.name {
                case "pto_header": header = try story.flowables(c)
                case "pto_trailer": trailer = try story.flowables(c)
                default: content += try story.flowables(for: c)
                }
            }
        }
        return [PTOContainer(StoryReader.applyKeepWithNext(content), trailer: trailer, header: header, location: e.location)]
    }
}

/// The trailer and header of one `<pto>`, shared by its content and continuations.
final class PTOInfo {
    let trailer: [Flowable]
    let header: [Flowable]
    init(trailer: [Flowable], header: [Flowable]) { self.trailer = trailer; self.header = header }
}

/// ReportLab's PTOContainer: a block of flowables that, when it must split, ends the part that fits
/// with the trailer (and a frame break) and starts the rest with the header.
final class PTOContainer: Flowable {
    private(set) var content: [Flowable] = []
    private(set) var infos: [PTOInfo] = []
    let location: SourceLocation?
    private var stack: StackedFlowables

    init(_ content: [Flowable], trailer: [Flowable], header: [Flowable], location: SourceLocation?) {
        let info = PTOInfo(trailer: trailer, header: header)
        self.location = location
        for c in content {
            if let nested = c as? PTOContainer {
                self.content += nested.content
                infos += nested.infos
            } else {
                self.content.append(c)
                infos.append(info)
            }
        }
        stack = StackedFlowables(self.content, location: location)
    }

    private init(content: [Flowable], infos: [PTOInfo], location: SourceLocation?) {
        self.content = content
        self.infos = infos
        self.location = location
        stack = StackedFlowables(content, location: location)
    }

    var spaceBefore: Double { stack.spaceBefore }
    var spaceAfter: Double { stack.spaceAfter }

    func wrap(_ w: Double, _ h: Double, _ ctx: LayoutContext) throws(RMLError) -> Size {
        try stack.wrap(w, h, ctx)
    }

    func draw(on canvas: PageCanvas, x: Double, y: Double, _ ctx: LayoutContext) throws(RMLError) {
        try stack.draw(on: canvas, x: x, y: y, ctx)
    }

    func split(_ aW: Double, _ aH: Double, _ ctx: LayoutContext) throws(RMLError) -> [Flowable] {
        if aH < 0 || content.isEmpty { return [] }
        let fuzz = StackedFlowables.fuzz
        let n = content.count
        var trailerMetrics: [ObjectIdentifier: (height: Double, spaceBefore: Double)] = [:]
        var i = 0
        var total = 0.0, prevAfter = 0.0, gap = 0.0, h = 0.0, trailerSpace = 0.0
        var broke = false
        var info = infos[0]
        // Take flowables while they fit together with the trailer below them.
        for x in 0..<n {
            let c = content[x]
            info = infos[x]
            let key = ObjectIdentifier(info)
            let t: (height: Double, spaceBefore: Double)
            if let m = trailerMetrics[key] {
                t = m
            } else {
                let flat = try StackedFlowables.flatten(info.trailer, width: aW, ctx)
                t = (try StackedFlowables.height(of: flat, width: aW, ctx), info.trailer.first?.spaceBefore ?? 0)
                trailerMetrics[key] = t
            }
            h = c is ActionFlowable ? 0 : try c.wrap(aW, 1e9, ctx).height
            gap = 0
            if x > 0 {
                gap = max(c.spaceBefore - prevAfter, 0)
                h += gap
            }
            prevAfter = c.spaceAfter
            total += h + prevAfter
            trailerSpace = t.height + max(t.spaceBefore, prevAfter)
            if total + trailerSpace >= aH - fuzz { broke = true; break }
            i += 1
        }
        // Everything fits with the trailer: no split needed.
        if !broke { return content }
        total -= h + prevAfter
        let trailer = info.trailer
        let header = info.header

        // Try to split the flowable that did not fit into the space left above the trailer.
        let c = content[i]
        let room = (aH - total - trailerSpace - gap) * 0.99999
        let parts = room >= 0.05 * aH && !(c is ActionFlowable) ? try c.split(aW, room, ctx) : []
        if parts.isEmpty {
            // Do not leave a keep-with-next flowable behind at the bottom.
            let j = i
            while i > 1 && content[i - 1].keepWithNext { i -= 1 }
            if i == 1 && content[0].keepWithNext { i = j }
        }
        let frameBreak = ActionFlowable(.nextFrame(nil), location: location)
        var first: [Flowable]
        var rest: [Flowable]
        var restInfos: [PTOInfo]
        if parts.count > 1 {
            first = Array(content[..<i]) + [parts[0]]
            rest = Array(parts.dropFirst()) + Array(content[(i + 1)...])
            restInfos = Array(repeating: info, count: parts.count - 1) + Array(infos[(i + 1)...])
        } else if i == 0 {
            return []
        } else {
            first = Array(content[..<i])
            rest = Array(content[i...])
            restInfos = Array(infos[i...])
        }
        first += trailer
        first.append(frameBreak)
        rest = header + rest
        restInfos = Array(repeating: info, count: header.count) + restInfos
        return first + [PTOContainer(content: rest, infos: restInfos, location: location)]
    }
}
