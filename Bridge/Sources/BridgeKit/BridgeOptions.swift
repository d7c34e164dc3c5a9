// streamconv-bridge's command line: the options, their parsing and the checks between them.
// The mapping options are the main CLI's (Docs/CLI.md) and map to the same ConversionOptions.

import BridgePostgres
import StreamCodec

/// Everything the bridge is configured with.
public struct BridgeOptions: Sendable {
    /// Where to listen.
    public var host = "127.0.0.1"
    public var port = 8080
    /// The one upstream every request goes to.
    public var upstream: UpstreamBase
    /// The input format; nil: the upstream's Content-Type, else detection.
    public var from: String?
    /// The output format; nil: negotiated from the request's Accept.
    public var to: String?
    /// SSE output: a comment line after this much silence; nil: none.
    public var heartbeatSeconds: Double? = 15
    /// SSE output: heartbeats as a named event (`event: NAME`, `data: {"type":"NAME"}`) instead
    /// of a comment line, for proxies that strip comments; nil: comment lines.
    public var heartbeatEvent: String?
    /// The mapping between formats (the main CLI's options).
    public var conversion = ConversionOptions()
    /// The replay store's bounds.
    public var replayRecords = 10_000
    public var replayBytes = 16 << 20
    public var replayStreams = 1024
    public var replayKeepSeconds = 300.0
    /// Where streams are kept: in this process, or in PostgreSQL shared by replicas.
    public var replayStore: ReplayStoreChoice = .memory
    /// The PostgreSQL password's file (else PGPASSWORD; never the command line).
    public var replayStorePasswordFile: String?
    /// PostgreSQL store: how long a replica's writer lease lasts without renewal.
    public var replayLeaseSeconds = 10.0
    /// Request headers forwarded to the upstream: nil: every end-to-end header.
    public var forwardHeaders: Set<String>?
    /// Limits.
    public var maxBodyBytes = 8 << 20
    public var maxStreams = 256
    public var maxRequestsPerClient = 64
    public var maxConnectionsPerClient = 256
    public var idleTimeoutSeconds = 60.0
    /// A response write the client does not take within this long closes its connection.
    public var writeTimeoutSeconds = 30.0
    /// How long to try connecting to the upstream before answering 502.
    public var connectTimeoutSeconds = 10.0
    /// The key of the credential binding's HMAC: read from a file, or random per process.
    public var bindingKeyFile: String?
    /// Writes no access log.
    public var quiet = false

    public init(upstream: UpstreamBase) {
        self.upstream = upstream
    }
}

/// Where the bridge keeps its streams.
public enum ReplayStoreChoice: Sendable, Hashable {
    /// In this process (`MemoryReplayStore`): one replica.
    case memory
    /// In PostgreSQL (`PostgresReplayStore`): replicas share streams.
    case postgres(PostgresStoreLocation)
}

/// A usage error: what was wrong and what is allowed. The bridge exits with status 2.
public struct BridgeUsageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What the command line asks for.
public enum BridgeCommand: Sendable {
    case run(BridgeOptions)
    case help
    case version
}

extension BridgeOptions {
    /// Parses the arguments (without the program name). `--name value` and `--name=value`.
    public static func parse(_ arguments: [String]) throws(BridgeUsageError) -> BridgeCommand {
        var rest = arguments[...]
        var upstream: UpstreamBase?
        var listen: (String, Int)?
        var draft = BridgeOptions(upstream: UpstreamBase.placeholder)
        var o: ConversionOptions {
            get { draft.conversion }
            set { draft.conversion = newValue }
        }

        while let argument = rest.popFirst() {
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            func value() throws(BridgeUsageError) -> String {
                if let inline { return inline }
                guard let next = rest.popFirst() else { throw BridgeUsageError("\(name) needs a value") }
                return next
            }
            func flag() throws(BridgeUsageError) {
                if inline != nil { throw BridgeUsageError("\(name) takes no value") }
            }
            func count(_ what: String) throws(BridgeUsageError) -> Int {
                let text = try value()
                guard let n = parseCount(text), n > 0 else {
                    throw BridgeUsageError(
                        "invalid value '\(text)' for \(name) (\(what): a positive whole number, optionally with k, M or G)")
                }
                return n
            }
            func seconds(allowZero: Bool) throws(BridgeUsageError) -> Double {
                let text = try value()
                guard let s = Double(text), s.isFinite, s > 0 || (allowZero && s == 0) else {
                    throw BridgeUsageError(
                        "invalid value '\(text)' for \(name) (seconds, a positive number such as 15 or 0.5\(allowZero ? "; 0 turns it off" : ""))"
                    )
                }
                return s
            }
            func format(_ text: String) throws(BridgeUsageError) -> String {
                guard let found = FormatRegistry.standard.format(named: text) else {
                    let names = FormatRegistry.standard.formats.map(\.name).joined(separator: ", ")
                    throw BridgeUsageError("unknown format '\(text)' for \(name) (one of: \(names))")
                }
                return found.name
            }

            switch name {
            case "-h", "--help": return .help
            case "--version": return .version
            case "--listen":
                let text = try value()
                guard let parsed = parseListen(text) else {
                    throw BridgeUsageError("invalid value '\(text)' for --listen (HOST:PORT, such as 127.0.0.1:8080)")
                }
                listen = parsed
            case "--upstream":
                let text = try value()
                do throws(UpstreamBase.Invalid) { upstream = try UpstreamBase(text) } catch {
                    throw BridgeUsageError("invalid value '\(text)' for --upstream: \(error.reason)")
                }
            case "--from", "-f":
                let text = try value()
                draft.from = text.lowercased() == "auto" ? nil : try format(text)
            case "--to", "-t":
                let text = try value()
                draft.to = text.lowercased() == "negotiate" ? nil : try format(text)
            case "--heartbeat":
                let s = try seconds(allowZero: true)
                draft.heartbeatSeconds = s == 0 ? nil : s
            case "--heartbeat-event":
                let text = try value()
                guard (try? SSEEncoder.heartbeat(event: text)) != nil else {
                    throw BridgeUsageError("invalid value '\(text)' for --heartbeat-event (an event type: non-empty, no line break)")
                }
                draft.heartbeatEvent = text
            case "--retry":
                let text = try value()
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    throw BridgeUsageError("invalid value '\(text)' for --retry (milliseconds, ASCII digits)")
                }
                o.retry = text // kept exactly, however many digits (WHATWG)
            case "--done":
                try flag()
                o.appendDone = true
            case "--no-done":
                try flag()
                o.doneMarker = nil
            case "--done-marker":
                let text = try value()
                guard !text.isEmpty else { throw BridgeUsageError("--done-marker needs a non-empty text") }
                o.doneMarker = text
            case "--require-done":
                try flag()
                o.requireDone = true
            case "--envelope":
                try flag()
                o.mode = .envelope
            case "--envelope-data":
                let text = try value()
                guard let encoding = EnvelopeWrapTransform.DataEncoding(rawValue: text) else {
                    throw BridgeUsageError("invalid value '\(text)' for --envelope-data (string or json)")
                }
                o.envelopeData = encoding
                o.mode = .envelope
            case "--comments":
                try flag()
                o.codec.keepComments = true
            case "--event":
                let text = try value()
                guard !text.isEmpty, !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                    throw BridgeUsageError("--event NAME must be a non-empty name without line breaks")
                }
                o.eventName = text
            case "--event-from": o.eventFromKey = try value()
            case "--ids", "--id-from":
                throw BridgeUsageError(
                    "\(name) is not a bridge option: every SSE event the bridge serves gets the id `STREAM-POSITION`, which Last-Event-ID resumes from (Docs/Bridging.md)"
                )
            case "--only-event":
                let names = try value().split(separator: ",").map(String.init)
                guard !names.isEmpty else { throw BridgeUsageError("--only-event needs one or more event types, separated by commas") }
                o.onlyEvents = (o.onlyEvents ?? []).union(names)
            case "--non-json":
                let text = try value()
                guard let policy = DataModeTransform.NonJSONPolicy(rawValue: text) else {
                    throw BridgeUsageError("invalid value '\(text)' for --non-json (fail, skip or string)")
                }
                o.nonJSON = policy
            case "--max-record-bytes": o.maxRecordBytes = try count("bytes")
            case "--replay-records": draft.replayRecords = try count("records per stream")
            case "--replay-bytes": draft.replayBytes = try count("bytes per stream")
            case "--replay-streams": draft.replayStreams = try count("streams")
            case "--replay-keep": draft.replayKeepSeconds = try seconds(allowZero: false)
            case "--replay-store":
                let text = try value()
                if text == "memory" {
                    draft.replayStore = .memory
                } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
                    do throws(PostgresStoreLocation.Invalid) {
                        draft.replayStore = .postgres(try PostgresStoreLocation(text))
                    } catch {
                        // Never echo the value: it may hold a password.
                        throw BridgeUsageError("invalid --replay-store URL: \(error.description)")
                    }
                } else {
                    throw BridgeUsageError("invalid value for --replay-store (memory, or postgres://USER@HOST:PORT/DATABASE)")
                }
            case "--replay-store-password-file": draft.replayStorePasswordFile = try value()
            case "--replay-lease": draft.replayLeaseSeconds = try seconds(allowZero: false)
            case "--forward-headers":
                let text = try value()
                if text.lowercased() == "all" {
                    draft.forwardHeaders = nil
                } else {
                    draft.forwardHeaders = Set(text.split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty })
                }
            case "--max-body-bytes": draft.maxBodyBytes = try count("bytes")
            case "--max-streams": draft.maxStreams = try count("concurrent upstream streams")
            case "--max-client-requests": draft.maxRequestsPerClient = try count("concurrent requests per client address")
            case "--max-client-connections": draft.maxConnectionsPerClient = try count("open connections per client address")
            case "--idle-timeout": draft.idleTimeoutSeconds = try seconds(allowZero: false)
            case "--write-timeout": draft.writeTimeoutSeconds = try seconds(allowZero: false)
            case "--connect-timeout": draft.connectTimeoutSeconds = try seconds(allowZero: false)
            case "--binding-key-file": draft.bindingKeyFile = try value()
            case "-q", "--quiet":
                try flag()
                draft.quiet = true
            default:
                throw BridgeUsageError("unknown option '\(argument)' (see --help)")
            }
        }
        guard let upstream else { throw BridgeUsageError("--upstream URL is required (the server every request is forwarded to)") }
        draft.upstream = upstream
        if let listen { (draft.host, draft.port) = listen }
        try draft.validate()
        return .run(draft)
    }

    /// Checks between options, before any request: the mapping must suit the formats given.
    func validate() throws(BridgeUsageError) {
        if case .postgres = replayStore, bindingKeyFile == nil {
            throw BridgeUsageError(
                "--replay-store postgres://... needs --binding-key-file FILE (the same key on every replica, at least 16 bytes), so that a stream started with credentials can be resumed or joined on any replica"
            )
        }
        if case .memory = replayStore, replayStorePasswordFile != nil {
            throw BridgeUsageError("--replay-store-password-file applies to --replay-store postgres://... only")
        }
        // With both formats fixed, the library's own check names an option that does not apply;
        // otherwise a request whose format does not suit the options is answered 406.
        if let from, let to {
            do throws(StreamCodecError) {
                _ = try Converter(from: from, to: to, options: conversion)
            } catch {
                throw BridgeUsageError("\(LibraryTerms.text(error.message)) (with --from \(from) --to \(to))")
            }
        }
    }

    /// The mapping options for one pair of formats: those that apply to it. The output is
    /// negotiated per request, so an option for SSE output (--retry, --done, --event, ...) applies
    /// to the requests served as SSE and is left out for the others, as the options for SSE input
    /// are for JSON upstreams; the CLI, whose formats are fixed, refuses them instead.
    public func conversion(from input: String, to output: String) -> ConversionOptions {
        var o = conversion
        let source = FormatRegistry.standard.format(named: input)?.family
        let target = FormatRegistry.standard.format(named: output)?.family
        if target != .eventStream {
            o.retry = nil
            o.appendDone = false
            o.eventName = nil
            o.eventFromKey = nil
        }
        if source != .json {
            o.eventName = nil
            o.eventFromKey = nil
        }
        if source != .eventStream {
            o.onlyEvents = nil
            o.requireDone = false
            o.codec.keepComments = false
        }
        if source == target {
            o.mode = .data
            o.envelopeData = .string
        }
        return o
    }

    static func parseListen(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        return (host, port)
    }

    /// `123`, `64k`, `16M`, `1G` (powers of 1024).
    static func parseCount(_ text: String) -> Int? {
        let units: [Character: Int] = ["k": 1 << 10, "K": 1 << 10, "m": 1 << 20, "M": 1 << 20, "g": 1 << 30, "G": 1 << 30]
        if let last = text.last, let unit = units[last] {
            guard let n = Int(text.dropLast()), n >= 0, n <= Int.max / unit else { return nil }
            return n * unit
        }
        return Int(text)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
