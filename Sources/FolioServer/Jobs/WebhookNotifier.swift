import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Calls a job's webhook when it ends: `POST` of the job's status as JSON, retried with a
/// doubling delay until a 2xx answer or the attempts run out. Only http(s) URLs to hosts the
/// configuration allows are accepted (checked when the job is submitted).
public struct WebhookNotifier: Sendable {
    public let allowedHosts: [String]
    public let attempts: Int
    public let retryDelay: Double
    let logger: Logger

    public init(configuration: ServerConfiguration.Webhooks, logger: Logger) {
        allowedHosts = configuration.allowedHosts.map { $0.lowercased() }
        attempts = max(1, configuration.attempts)
        retryDelay = max(0.01, configuration.retryDelaySeconds)
        self.logger = logger
    }

    /// Checks a webhook URL against the policy.
    public func validate(_ text: String) throws(ServiceError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased(), !host.isEmpty else {
            throw ServiceError(.badRequest, "webhook must be an http or https URL")
        }
        let allowed = allowedHosts.contains { pattern in
            if pattern.hasPrefix("*.") { return host.hasSuffix(pattern.dropFirst(1)) }
            return host == pattern
        }
        guard allowed else {
            throw ServiceError(.security, "webhook host '\(host)' is not in the configuration's webhooks.allowedHosts")
        }
    }

    /// Sends the status; returns whether a 2xx answer came.
    @discardableResult
    public func notify(_ url: String, status: JobStatus) async -> Bool {
        guard let target = URL(string: url), let body = try? JSONEncoder.folio.encode(status) else { return false }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        request.timeoutInterval = 30
        var delay = retryDelay
        for attempt in 1...attempts {
            do {
                let (_, response) = try await URLSession.shared.data(for: request)
                if let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) { return true }
                logger.warning("webhook answered with an error", metadata: ["job": .string(status.id), "attempt": .stringConvertible(attempt)])
            } catch {
                logger.warning("webhook failed", metadata: ["job": .string(status.id), "attempt": .stringConvertible(attempt),
                                                            "error": .string("\(error)")])
            }
            if attempt < attempts {
                try? await Task.sleep(for: .seconds(delay))
                delay *= 2
            }
        }
        return false
    }
}
