import Foundation

/// A report written in Swift (OpenERP's hard-coded `report.<name>` reports), registered by name in
/// a `CodedReportRegistry`. It either builds RML itself (see `RMLDocumentBuilder`) or builds data
/// XML for an existing stylesheet.
public protocol CodedReport: Sendable {
    /// The report name print requests use, e.g. `report.folio.pricelist`.
    var name: String { get }
    func render(_ request: CodedReportRequest) throws(ReportError) -> CodedReportOutput
}

/// What a coded report is asked to print.
public struct CodedReportRequest: Sendable, Equatable {
    public var reportName: String
    /// The model of the records, when the report prints records.
    public var model: String?
    /// The record ids (OpenERP's `ids`).
    public var ids: [Int]
    /// The print request's form values (OpenERP's `datas['form']`), as text.
    public var parameters: [String: String]
    /// A payload given with the request, e.g. a JSON list of items.
    public var payload: Data?
    /// The language to print in (`fr`, `pt_BR`), when given.
    public var language: String?

    public init(reportName: String, model: String? = nil, ids: [Int] = [], parameters: [String: String] = [:],
                payload: Data? = nil, language: String? = nil) {
        self.reportName = reportName; self.model = model; self.ids = ids; self.parameters = parameters
        self.payload = payload; self.language = language
    }
}

/// What a coded report produces.
public enum CodedReportOutput: Sendable, Equatable {
    /// A finished RML document (UTF-8).
    case rml(Data)
    /// Data XML to transform with a stylesheet (a path, resolved along the report's package
    /// search path when relative).
    case data(Data, stylesheet: String)
}

/// The coded reports known to a process, by name. Thread-safe.
public final class CodedReportRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [String: any CodedReport] = [:]

    /// An empty registry.
    public init() {}

    /// A registry holding Folio's own coded reports (`report.folio.pricelist`).
    public static func withBuiltins() -> CodedReportRegistry {
        let r = CodedReportRegistry()
        try? r.register(PriceListReport())
        return r
    }

    /// The process-wide registry, holding Folio's own coded reports.
    public static let shared = CodedReportRegistry.withBuiltins()

    /// Registers a report under its name. Fails on an invalid name, or when the name is taken
    /// and `replacing` is false.
    public func register(_ report: any CodedReport, replacing: Bool = false) throws(ReportError) {
        let name = report.name
        guard PackageManifest.isValidReportName(name) else {
            throw ReportError(.definition, "coded report name '\(name)' is not valid: use letters, digits, '_', '-' and '.'")
        }
        lock.lock()
        defer { lock.unlock() }
        if reports[name] != nil && !replacing {
            throw ReportError(.definition, "a coded report named '\(name)' is already registered")
        }
        reports[name] = report
    }

    /// Removes a report; returns whether it was registered.
    @discardableResult
    public func unregister(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return reports.removeValue(forKey: name) != nil
    }

    /// The report registered under `name`.
    public func report(named name: String) -> (any CodedReport)? {
        lock.lock()
        defer { lock.unlock() }
        return reports[name]
    }

    /// Registered names, sorted.
    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return reports.keys.sorted()
    }

    /// Renders the report named in the request (outside the lock, so reports may run in parallel).
    public func render(_ request: CodedReportRequest) throws(ReportError) -> CodedReportOutput {
        guard let report = report(named: request.reportName) else {
            throw ReportError(.notFound, "no coded report named '\(request.reportName)' is registered")
        }
        return try report.render(request)
    }
}
