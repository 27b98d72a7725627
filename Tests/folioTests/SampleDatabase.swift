import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The sample PostgreSQL database (scripts/sample-db.sql) on a throwaway loopback server started
/// once per test process by scripts/pg-test-server.sh, which stops it when this process ends.
enum SampleDatabase {
    private static let state = Mutex<Result<String, CLIFailure>?>(nil)

    struct CLIFailure: Error, CustomStringConvertible { var description: String }

    /// The connection URL, starting the server on first use.
    static func url() throws -> String {
        try state.withLock { state in
            if let state { return state }
            let result = start()
            state = result
            return result
        }.get()
    }

    private static func start() -> Result<String, CLIFailure> {
        let script = CLI.packageRoot.appendingPathComponent("scripts/pg-test-server.sh").path
        let tag = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let dir = NSTemporaryDirectory() + "folio-cli-pg-" + tag
        let urlFile = dir + ".url", logFile = dir + ".log"
        defer { try? FileManager.default.removeItem(atPath: urlFile); try? FileManager.default.removeItem(atPath: logFile) }
        // Output goes to files, not pipes: the server and its watchdog outlive the script and
        // would keep a pipe open. posix_spawn + waitpid rather than Process, whose termination
        // monitoring can stall when the test runner's threads are all busy.
        let command = "exec \"$0\" start --dir \"$1\" --owner-pid \"$2\" </dev/null >\"$3\" 2>\"$4\""
        let args = ["/bin/bash", "-c", command, script, dir, String(getpid()), urlFile, logFile]
        var cArgs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", nil, nil, &cArgs, environ) == 0 else {
            return .failure(CLIFailure(description: "cannot run \(script)"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xFF
        let url = ((try? String(contentsOfFile: urlFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard status & 0x7F == 0, exitCode == 0, url.hasPrefix("postgresql://") else {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            return .failure(CLIFailure(description: "the sample database did not start (status \(exitCode)): \(log)"))
        }
        return .success(url)
    }
}
