import Foundation
import Hummingbird

/// Runs a render on the render pool and answers with its output streamed as it is produced.
///
/// The status is chosen when the first bytes arrive or the render ends, whichever is first: a
/// render that fails before producing anything is answered with its problem+json; one that fails
/// later (a limit hit on page 40) ends the connection without the closing chunk, so the client
/// sees an incomplete transfer rather than a truncated PDF that looks whole.
struct RenderResponder: Sendable {
    let service: RenderService
    let retryAfter: Int

    func respond(_ source: RenderSource, format: RenderFormat, fileName: String) async throws(ServiceError) -> Response {
        let channel = ChunkChannel(stallDeadline: Date().addingTimeInterval(service.limits.renderSeconds + 60))
        let service = self.service
        do {
            try service.pool.submit {
                do throws(ServiceError) {
                    _ = try service.render(source, format: format) { channel.push($0) }
                    channel.finish(.finished)
                } catch {
                    channel.finish(.failed(error))
                }
            }
        } catch {
            service.metrics.renderFinished(report: source.label, ok: false, pages: 0, bytes: 0)
            throw ServiceError(.busy, "every render slot is busy and the waiting line is full; retry later",
                               retryAfter: retryAfter)
        }
        await channel.waitForFirstEvent()
        if let failure = channel.failureBeforeOutput { throw failure }
        let safeName = fileName.filter { $0.isLetter || $0.isNumber || "._-".contains($0) }
        let headers: HTTPFields = [
            .contentType: format.contentType,
            .contentDisposition: "inline; filename=\"\(safeName.isEmpty ? "report" : safeName).\(format.fileExtension)\"",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            do {
                for try await chunk in channel { try await writer.write(chunk) }
                try await writer.finish(nil)
            } catch {
                channel.cancel()
                throw error
            }
        })
    }
}
