import Foundation
import Prometheus

/// The service's Prometheus metrics, served at `GET /metrics`:
///
/// | metric | labels | what |
/// |---|---|---|
/// | `folio_renders_total` | report, outcome (ok, error) | renders finished |
/// | `folio_pages_total` | report | pages produced |
/// | `folio_bytes_total` | report | PDF bytes produced |
/// | `folio_stage_duration_seconds` | report, stage (generate, render) | time per stage (histogram) |
/// | `folio_errors_total` | code | failures answered, by problem code |
/// | `folio_render_queue_depth` | – | renders waiting for a render thread |
/// | `folio_renders_active` | – | renders running |
/// | `folio_job_queue_depth` | – | jobs queued or running |
public final class ServiceMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init() {}

    /// A report name as a label value (ad-hoc renders are `adhoc-rml` and `adhoc-xsl`).
    public func renderFinished(report: String, ok: Bool, pages: Int, bytes: Int) {
        registry.makeCounter(descriptor: .init(metricName: "folio_renders_total", unitName: "", helpText: "Renders finished"),
                             labels: [("report", report), ("outcome", ok ? "ok" : "error")]).increment()
        if pages > 0 {
            registry.makeCounter(descriptor: .init(metricName: "folio_pages_total", unitName: "", helpText: "Pages produced"),
                                 labels: [("report", report)]).increment(by: Int64(pages))
        }
        if bytes > 0 {
            registry.makeCounter(descriptor: .init(metricName: "folio_bytes_total", unitName: "", helpText: "PDF bytes produced"),
                                 labels: [("report", report)]).increment(by: Int64(bytes))
        }
    }

    /// Time spent in one stage of a render.
    public func stage(_ stage: String, report: String, seconds: Double) {
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "folio_stage_duration", unitName: "seconds", helpText: "Time per render stage"),
            labels: [("report", report), ("stage", stage)], buckets: buckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
    }

    /// A failure answered to a client or recorded in a job.
    public func error(_ code: ServiceError.Code) {
        registry.makeCounter(descriptor: .init(metricName: "folio_errors_total", unitName: "", helpText: "Failures by problem code"),
                             labels: [("code", code.rawValue)]).increment()
    }

    /// Sets the gauges that are read at scrape time.
    public func gauges(renderQueue: Int, activeRenders: Int, jobQueue: Int?) {
        registry.makeGauge(descriptor: .init(metricName: "folio_render_queue_depth", unitName: "", helpText: "Renders waiting for a render thread"))
            .set(to: Double(renderQueue))
        registry.makeGauge(descriptor: .init(metricName: "folio_renders_active", unitName: "", helpText: "Renders running"))
            .set(to: Double(activeRenders))
        if let jobQueue {
            registry.makeGauge(descriptor: .init(metricName: "folio_job_queue_depth", unitName: "", helpText: "Jobs queued or running"))
                .set(to: Double(jobQueue))
        }
    }

    /// The text exposition format.
    public func exposition() -> String { registry.emitToString() }
}
