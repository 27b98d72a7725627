import FolioRML

// Temporary stand-ins, replaced by their real implementations.

struct TableReader {
    let ctx: LayoutContext
    let story: StoryReader
    func table(_ e: RMLElement) throws(RMLError) -> Flowable {
        Spacer(width: 0, height: 0, location: e.location)
    }
}



