import CLibPQ
import Foundation

/// One row of a query result: column names, their PostgreSQL type OIDs and the text values
/// (`nil` = SQL NULL).
public struct PostgresRow: Sendable, Equatable {
    public let columns: [String]
    /// Type OIDs of the columns (`PQftype`), e.g. 23 = int4, 1700 = numeric, 25 = text.
    public let types: [UInt32]
    public let values: [String?]

    public init(columns: [String], types: [UInt32], values: [String?]) {
        self.columns = columns
        self.types = types
        self.values = values
    }

    /// The value of the first column of that name; `nil` when it is NULL or there is no such column.
    public subscript(_ column: String) -> String? {
        guard let i = columns.firstIndex(of: column) else { return nil }
        return values[i]
    }

    /// The row as a dictionary (NULL = `.some(nil)`).
    public var dictionary: [String: String?] {
        var d: [String: String?] = [:]
        for (i, c) in columns.enumerated() where d[c] == nil { d[c] = .some(values[i]) }
        return d
    }
}

/// A connection to PostgreSQL through libpq, owning one `PGconn` (closed on deinit).
///
/// Values always travel as bound parameters (`$1`, `$2`, … in the SQL, text format); only identifiers
/// checked by `SQLIdentifier` are ever written into SQL text. Every failure — connection, syntax,
/// constraint, cancelled stream — is a `ReportError` of kind `.database` carrying the server's message.
///
/// Not safe to use from two threads at once (libpq: one connection per job).
public final class PostgresConnection {
    private let conn: OpaquePointer

    /// Connects with a libpq connection string or URL (`postgresql://user:pw@host:port/db`).
    public init(url: String) throws(ReportError) {
        guard let c = PQconnectdb(url) else {
            throw ReportError(.database, "cannot allocate a PostgreSQL connection")
        }
        guard PQstatus(c) == CONNECTION_OK else {
            let message = PostgresConnection.clean(PQerrorMessage(c).map { String(cString: $0) } ?? "")
            PQfinish(c)
            throw ReportError(.database, "cannot connect to PostgreSQL: \(message)")
        }
        conn = c
        _ = PQsetClientEncoding(c, "UTF8")
    }

    deinit { PQfinish(conn) }

    /// Runs one statement and returns all rows as dictionaries (column → text value, `nil` = NULL).
    public func query(_ sql: String, _ params: [String?] = []) throws(ReportError) -> [[String: String?]] {
        try rows(sql, params).map(\.dictionary)
    }

    /// Runs one statement and returns all rows, columns in order.
    public func rows(_ sql: String, _ params: [String?] = []) throws(ReportError) -> [PostgresRow] {
        try checkParams(params)
        let result: OpaquePointer? = withCParams(params) { values in
            PQexecParams(conn, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        guard let result else { throw connectionError("query failed") }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw resultError(result)
        }
        let (columns, types) = Self.describe(result)
        var out: [PostgresRow] = []
        let n = PQntuples(result)
        out.reserveCapacity(Int(n))
        for r in 0..<n {
            out.append(PostgresRow(columns: columns, types: types, values: Self.values(result, row: r, count: columns.count)))
        }
        return out
    }

    /// Runs one statement in single-row mode and calls `body` for each row as it arrives, so large
    /// results are never held in memory. When `body` throws, the query is cancelled, the remaining
    /// results are drained and the error is rethrown.
    public func stream(_ sql: String, _ params: [String?] = [], row body: (PostgresRow) throws(ReportError) -> Void) throws(ReportError) {
        try checkParams(params)
        let sent = withCParams(params) { values in
            PQsendQueryParams(conn, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionError("cannot send query") }
        var failure: ReportError?
        if PQsetSingleRowMode(conn) != 1 {
            failure = ReportError(.database, "cannot switch to single-row mode")
            cancel()
        }
        var columns: [String] = []
        var types: [UInt32] = []
        while let result = PQgetResult(conn) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_SINGLE_TUPLE {
                guard failure == nil else { continue }
                if columns.isEmpty { (columns, types) = Self.describe(result) }
                let row = PostgresRow(columns: columns, types: types, values: Self.values(result, row: 0, count: columns.count))
                do {
                    try body(row)
                } catch {
                    failure = error
                    cancel()
                }
            } else if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK {
                continue
            } else if failure == nil {
                failure = resultError(result)
            }
        }
        if let failure { throw failure }
    }

    /// The server's version number (e.g. 150004), for diagnostics.
    public var serverVersion: Int { Int(PQserverVersion(conn)) }

    // MARK: - libpq plumbing

    private func cancel() {
        guard let handle = PQgetCancel(conn) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(handle, &buffer, Int32(buffer.count))
        PQfreeCancel(handle)
    }

    private func checkParams(_ params: [String?]) throws(ReportError) {
        for p in params {
            if let p, p.utf8.contains(0) {
                throw ReportError(.data, "a query parameter contains a NUL character")
            }
        }
    }

    private func withCParams<R>(_ params: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = params.map { $0.map { strdup($0)! } }
        defer { for c in copies { free(c) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    private static func describe(_ result: OpaquePointer) -> ([String], [UInt32]) {
        let n = PQnfields(result)
        var names: [String] = []
        var types: [UInt32] = []
        for i in 0..<n {
            names.append(PQfname(result, i).map { String(cString: $0) } ?? "?column?")
            types.append(UInt32(PQftype(result, i)))
        }
        return (names, types)
    }

    private static func values(_ result: OpaquePointer, row: Int32, count: Int) -> [String?] {
        var values: [String?] = []
        values.reserveCapacity(count)
        for c in 0..<Int32(count) {
            if PQgetisnull(result, row, c) == 1 {
                values.append(nil)
            } else {
                values.append(PQgetvalue(result, row, c).map { String(cString: $0) } ?? "")
            }
        }
        return values
    }

    private func connectionError(_ what: String) -> ReportError {
        let message = Self.clean(PQerrorMessage(conn).map { String(cString: $0) } ?? "")
        return ReportError(.database, message.isEmpty ? what : "\(what): \(message)")
    }

    private func resultError(_ result: OpaquePointer) -> ReportError {
        // PG_DIAG_MESSAGE_PRIMARY = 'M', PG_DIAG_SQLSTATE = 'C', PG_DIAG_MESSAGE_DETAIL = 'D'
        let primary = PQresultErrorField(result, 77).map { String(cString: $0) }
        let state = PQresultErrorField(result, 67).map { String(cString: $0) }
        let detail = PQresultErrorField(result, 68).map { String(cString: $0) }
        var message = primary ?? Self.clean(PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown error")
        if let detail, !detail.isEmpty { message += " (\(detail))" }
        if let state { message += " [SQLSTATE \(state)]" }
        return ReportError(.database, message)
    }

    private static func clean(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
    }
}

/// SQL identifiers (table and column names from a model mapping or a report definition): checked
/// against `[A-Za-z_][A-Za-z0-9_]*` (at most 63 bytes, PostgreSQL's limit) and always double-quoted.
public enum SQLIdentifier {
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        func letter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
        guard letter(first) else { return false }
        return name.utf8.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }

    /// `"name"`, or an error of kind `.definition` naming what the identifier was for.
    public static func quote(_ name: String, what: String = "identifier") throws(ReportError) -> String {
        guard isValid(name) else {
            throw ReportError(.definition, "invalid SQL \(what) '\(name)': expected letters, digits and '_' (not starting with a digit)")
        }
        return "\"\(name)\""
    }

    /// `"schema"."name"` or `"name"`, for table and view names that may be schema-qualified.
    public static func quoteQualified(_ name: String, what: String = "table") throws(ReportError) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            throw ReportError(.definition, "invalid SQL \(what) '\(name)'")
        }
        var quoted: [String] = []
        for p in parts { quoted.append(try quote(p, what: what)) }
        return quoted.joined(separator: ".")
    }
}
