// --replay-store: memory or postgres://USER@HOST:PORT/DB, the password never on the command line
// (a URL holding one is refused without echoing it), --binding-key-file required with PostgreSQL
// (replicas must compute the same binding), the password from a file or PGPASSWORD.

import BridgePostgres
import Foundation
import Testing

@testable import BridgeKit

@Suite("Command line: the replay store")
struct ReplayStoreOptionsTests {
    func parse(_ arguments: [String]) throws(BridgeUsageError) -> BridgeOptions {
        guard case .run(let options) = try BridgeOptions.parse(["--upstream", "http://127.0.0.1:1"] + arguments) else {
            throw BridgeUsageError("not a run")
        }
        return options
    }

    func usageError(_ arguments: [String]) -> String? {
        do throws(BridgeUsageError) {
            _ = try parse(arguments)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("postgres://USER@HOST:PORT/DB with --binding-key-file: the location, schema and TLS mode")
    func postgresURL() throws {
        let o = try parse([
            "--replay-store", "postgres://bridge@db.internal:6543/streams?schema=bridge_a&sslmode=require",
            "--binding-key-file", "/k", "--replay-lease", "4", "--replay-keep", "60",
        ])
        #expect(
            o.replayStore
                == .postgres(
                    PostgresStoreLocation(
                        user: "bridge", host: "db.internal", port: 6543, database: "streams",
                        schema: "bridge_a", tls: .require)))
        #expect(o.replayLeaseSeconds == 4 && o.replayKeepSeconds == 60)
        let d = try parse(["--replay-store", "postgresql://u@[::1]/d", "--binding-key-file", "/k"])
        #expect(d.replayStore == .postgres(PostgresStoreLocation(user: "u", host: "::1", port: 5432, database: "d")))
        #expect(try parse([]).replayStore == .memory)
        #expect(try parse(["--replay-store", "memory"]).replayStore == .memory)
    }

    @Test(
        "a password in the URL is refused, and the message does not repeat it",
        arguments: [
            "postgres://bridge:hunter2-secret@127.0.0.1:5432/db",
            "postgres://bridge@127.0.0.1:5432/db?password=hunter2-secret",
        ])
    func passwordInURL(url: String) throws {
        let message = try #require(usageError(["--replay-store", url, "--binding-key-file", "/k"]))
        #expect(message.contains("PGPASSWORD") && message.contains("--replay-store-password-file"))
        #expect(!message.contains("hunter2"))
    }

    @Test("PostgreSQL without --binding-key-file is refused: a stream bound on one replica must match on another")
    func bindingKeyRequired() throws {
        let message = try #require(usageError(["--replay-store", "postgres://u@h:5432/d"]))
        #expect(message.contains("--binding-key-file"))
    }

    @Test(
        "malformed locations name what is wrong",
        arguments: [
            ("postgres://h:5432/d", "no user"), ("postgres://u@h:5432", "no database"), ("postgres://u@h:99999/d", "invalid port"),
            ("postgres://u@h/d?schema=Bad-Name", "invalid schema"), ("postgres://u@h/d?sslmode=maybe", "invalid sslmode"),
            ("postgres://u@h/d?host=elsewhere", "unknown parameter"), ("redis://h", "memory, or postgres://"),
        ])
    func malformed(url: String, reason: String) throws {
        let message = try #require(usageError(["--replay-store", url, "--binding-key-file", "/k"]))
        #expect(message.contains(reason), "\(message)")
    }

    @Test("the password: the file's first line, else PGPASSWORD, else none; a missing file is an error")
    func password() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bridge-pw-\(UInt32.random(in: 0 ... .max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("pw").path
        try "s3cret\r\nignored\n".write(toFile: file, atomically: true, encoding: .utf8)
        var o = try parse(["--replay-store", "postgres://u@h/d", "--binding-key-file", "/k", "--replay-store-password-file", file])
        #expect(try BridgeApp.postgresPassword(o, environment: ["PGPASSWORD": "env"]) == "s3cret")
        o.replayStorePasswordFile = nil
        #expect(try BridgeApp.postgresPassword(o, environment: ["PGPASSWORD": "env"]) == "env")
        #expect(try BridgeApp.postgresPassword(o, environment: [:]) == nil)
        o.replayStorePasswordFile = dir.appendingPathComponent("missing").path
        #expect(throws: BridgeUsageError.self) { try BridgeApp.postgresPassword(o, environment: [:]) }
        #expect(usageError(["--replay-store-password-file", file])?.contains("postgres") == true)
    }
}
