import Foundation
import PostgresTestSupport
@testable import FolioReports

/// The sample database through FolioReports' own types.
extension PostgresTestServer {
    /// A new connection to the sample database.
    static func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url())
    }

    /// The sample database's model mapping (scripts/sample-models.yaml).
    static func mapping() throws -> ModelMapping {
        try ModelMapping.load(contentsOf: packageRoot.appendingPathComponent("scripts/sample-models.yaml").path)
    }

    /// A record source over a new connection.
    static func records() throws -> PostgresRecordSource {
        try PostgresRecordSource(connection: connect(), mapping: mapping())
    }
}

/// Where OpenERP's reference material lives (`../shared/openerp`, or `FOLIO_OPENERP_DIR`).
enum OpenERPMaterial {
    struct Missing: Error, CustomStringConvertible { var description: String }

    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["FOLIO_OPENERP_DIR"] { return URL(fileURLWithPath: env) }
        return PostgresTestServer.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/openerp")
    }

    static func path(_ relative: String) throws -> String {
        let p = root.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: p) else {
            throw Missing(description: "OpenERP reference file \(p) not found (set FOLIO_OPENERP_DIR)")
        }
        return p
    }
}
