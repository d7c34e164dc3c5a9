// Peers: other correct tools doing the same job (validate each NDJSON line as RFC 8259 JSON and
// write it back minified), timed through the same pipes as streamconv, interleaved with it, on
// the same corpus, in the same run. Each runs only when found on PATH; none is a dependency of
// the package. Go's `encoding/json` (json.Compact, which validates and minifies like streamconv)
// is built from the source below when `go` is installed.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Peer {
    var name: String
    var command: [String]
}

/// The full path of `tool` on PATH, or nil.
func findOnPath(_ tool: String) -> String? {
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(tool)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

let goPeerSource = """
    package main

    import (
    \t"bufio"
    \t"bytes"
    \t"encoding/json"
    \t"os"
    )

    // Validates each non-blank line as JSON and writes it minified (json.Compact), like
    // streamconv -f ndjson -t ndjson.
    func main() {
    \tr := bufio.NewReaderSize(os.Stdin, 1<<20)
    \tw := bufio.NewWriterSize(os.Stdout, 1<<16)
    \tdefer w.Flush()
    \tvar out bytes.Buffer
    \tfor {
    \t\tline, err := r.ReadBytes('\\n')
    \t\tif len(bytes.TrimSpace(line)) > 0 {
    \t\t\tout.Reset()
    \t\t\tif e := json.Compact(&out, line); e != nil {
    \t\t\t\tw.Flush()
    \t\t\t\tos.Stderr.WriteString(e.Error() + "\\n")
    \t\t\t\tos.Exit(1)
    \t\t\t}
    \t\t\tout.WriteByte('\\n')
    \t\t\tw.Write(out.Bytes())
    \t\t}
    \t\tif err != nil {
    \t\t\tbreak
    \t\t}
    \t}
    }
    """

/// The peers found on this machine for NDJSON validation (building the Go one in `directory`).
func ndjsonPeers(buildingIn directory: String) -> [Peer] {
    var peers: [Peer] = []
    if let go = findOnPath("go") {
        let source = "\(directory)/peer.go"
        let binary = "\(directory)/peer-go"
        let fd = open(source, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = Array(goPeerSource.utf8).withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
        setenv("GOCACHE", "\(directory)/gocache", 0)
        setenv("GOPATH", "\(directory)/gopath", 0)
        let built = runPipeline([[go, "build", "-o", binary, source]], input: "/dev/null")
        if built.statuses.allSatisfy({ $0 == 0 }) {
            peers.append(Peer(name: "Go encoding/json (json.Compact per line)", command: [binary]))
        }
    }
    if let jq = findOnPath("jq") { peers.append(Peer(name: "jq -c .", command: [jq, "-c", "."])) }
    if let python = findOnPath("python3") {
        peers.append(
            Peer(
                name: "Python json (loads + dumps per line)",
                command: [
                    python, "-c",
                    """
                    import sys, json
                    write = sys.stdout.write
                    for line in sys.stdin:
                        if line.strip():
                            write(json.dumps(json.loads(line), separators=(',', ':'), ensure_ascii=False) + '\\n')
                    """,
                ]))
    }
    if let node = findOnPath("node") {
        peers.append(
            Peer(
                name: "Node.js JSON (parse + stringify per line)",
                command: [
                    node, "-e",
                    """
                    const rl = require('readline').createInterface({ input: process.stdin });
                    let out = [];
                    rl.on('line', l => { if (l.trim()) { out.push(JSON.stringify(JSON.parse(l))); if (out.length >= 4096) { process.stdout.write(out.join('\\n') + '\\n'); out = []; } } });
                    rl.on('close', () => { if (out.length) process.stdout.write(out.join('\\n') + '\\n'); });
                    """,
                ]))
    }
    return peers
}
