import FolioRML

// Temporary stand-ins, replaced by their real implementations.

struct TableReader {
    let ctx: LayoutContext
    let story: StoryReader
    func table(_ e: RMLElement) throws(RMLError) -> Flowable {
        Spacer(width: 0, height: 0, location: e.location)
    }
}

struct ListReader {
    let ctx: LayoutContext
    let story: StoryReader
    func list(_ e: RMLElement) throws(RMLError) -> [Flowable] { [] }
}

struct PTOReader {
    let ctx: LayoutContext
    let story: StoryReader
    func make(_ e: RMLElement) throws(RMLError) -> [Flowable] {
        try story.flowables(e.elements.first { $0.name != "pto_header" && $0.name != "pto_trailer" } ?? e)
    }
}

enum ImageAndFlowables {
    static func make(_ e: RMLElement, _ ctx: LayoutContext, story: StoryReader) throws(RMLError) -> [Flowable] {
        var out: [Flowable] = []
        if let img = try ImageFlowable.make(RMLElement(name: "image", attributes: [
            RMLAttribute(name: "file", value: e["imageName"] ?? ""),
        ] + (e["imageWidth"].map { [RMLAttribute(name: "width", value: $0)] } ?? [])
          + (e["imageHeight"].map { [RMLAttribute(name: "height", value: $0)] } ?? []), location: e.location), ctx) {
            out.append(img)
        }
        return out + (try story.flowables(e))
    }
}


