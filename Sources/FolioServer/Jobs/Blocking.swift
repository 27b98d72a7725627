import Foundation

/// Runs blocking work (disk, libpq) on a dispatch queue instead of the event loop or Swift's
/// cooperative threads, and awaits its result.
enum Blocking {
    private static let queue = DispatchQueue(label: "folio.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(ServiceError) -> T) async throws(ServiceError) -> T {
        let result: Result<T, ServiceError> = await withCheckedContinuation { c in
            queue.async {
                do throws(ServiceError) { c.resume(returning: .success(try work())) } catch { c.resume(returning: .failure(error)) }
            }
        }
        return try result.get()
    }
}
