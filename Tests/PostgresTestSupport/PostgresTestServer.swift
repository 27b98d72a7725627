import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One throwaway PostgreSQL server per test process, holding the sample database: started on first
/// use through `scripts/pg-test-server.sh` (as an unprivileged user, on 127.0.0.1 and a random
/// port), shared by all tests, stopped at exit (and by the script's watchdog if the process dies).
///
/// When the server cannot start, `url()` throws with the script's output, so the tests that need
/// it fail with the reason instead of being skipped.
public enum PostgresTestServer {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    enum State: Sendable {
        case idle
        case running(url: String, dir: String)
        case failed(String)
    }

    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let script = packageRoot.appendingPathComponent("scripts/pg-test-server.sh").path

    private static let state = Mutex<State>(.idle)

    /// The connection URL, starting the server if needed.
    public static func url() throws -> String {
        let result: Result<String, Unavailable> = state.withLock { state in
            switch state {
            case .running(let url, _): return .success(url)
            case .failed(let reason): return .failure(Unavailable(description: reason))
            case .idle:
                switch start() {
                case .success(let (url, dir)):
                    state = .running(url: url, dir: dir)
                    atexit { PostgresTestServer.stopAtExit() }
                    return .success(url)
                case .failure(let error):
                    state = .failed(error.description)
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    private static func start() -> Result<(String, String), Unavailable> {
        guard FileManager.default.isExecutableFile(atPath: script) else {
            return .failure(Unavailable(description: "PostgreSQL test server: \(script) is missing or not executable"))
        }
        let tag = "\(getpid())-\(UUID().uuidString.prefix(8))"
        let dir = NSTemporaryDirectory() + "folio-pg-test-" + tag
        let log = NSTemporaryDirectory() + "folio-pg-test-" + tag + ".log"
        defer { unlink(log) }
        let (status, stdout) = spawn(["/bin/bash", script, "start", "--dir", dir, "--owner-pid", String(getpid())], stderrPath: log)
        let stderr = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let url = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, url.hasPrefix("postgresql://") else {
            return .failure(Unavailable(description: """
                PostgreSQL test server did not start (\(script) exited with status \(status)):
                \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))
                """))
        }
        return .success((url, dir))
    }

    /// Runs a command with posix_spawn (Foundation's Process can miss the child's exit in a test
    /// process), stdin from /dev/null, stdout captured, stderr to a file. Returns the exit status.
    private static func spawn(_ args: [String], stderrPath: String?) -> (Int32, String) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return (-1, "") }
        // Keep the pipe out of processes other threads may spawn meanwhile.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        cargs.append(nil)
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, args[0], &actions, nil, cargs, environ)
        close(fds[1])
        guard spawned == 0 else { close(fds[0]); return (-1, "") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n > 0 { output += buffer[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), String(decoding: output, as: UTF8.self))
    }

    /// Stops the server (atexit handler): synchronous, no Foundation machinery.
    static func stopAtExit() {
        let dir: String? = state.withLock { state in
            if case .running(_, let dir) = state {
                state = .idle
                return dir
            }
            return nil
        }
        guard let dir else { return }
        _ = spawn(["/bin/bash", script, "stop", dir], stderrPath: nil)
    }
}

