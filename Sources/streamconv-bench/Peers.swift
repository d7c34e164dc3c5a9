// Peers: other correct tools doing the same job (validate each NDJSON line as RFC 8259 JSON and
// write it back minified), timed through the same pipes as streamconv, interleaved with it, on
// the same corpus, in the same run. Each runs only when found on PATH; none is a dependency of
// the package. Go's `encoding/json` (json.Compact, which validates and minifies like streamconv)
// is built from the source below when `go` is installed, and a simdjson program (DOM parse_many,
// then simdjson's minifier on each validated document) when a C++ compiler and simdjson's header
// and library (Debian's libsimdjson-dev) are.
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

/// The simdjson peer's C++ source. Built with `-O3` and no `-march`: simdjson chooses its kernel
/// for the CPU at run time (`--version` names it).
let simdjsonPeerSource = #"""
    // streamconv-bench's simdjson peer: reads NDJSON on stdin, parses each line completely as one
    // JSON document (simdjson's DOM parse_many, which validates every document in full, UTF-8
    // included) and writes it minified, then LF, like `streamconv -f ndjson -t ndjson`. What it
    // writes is the document's own text with the whitespace between tokens removed by simdjson's
    // minifier, run once the document is known to be valid, so numbers and escapes stay as written
    // (serialising the parsed document would rewrite 1.50 as 1.5). Blank lines are skipped. On
    // invalid input: the error on stderr and exit status 1. `--version` prints simdjson's version
    // and the kernel it chose at run time for this CPU.
    #include <simdjson.h>

    #include <unistd.h>

    #include <algorithm>
    #include <cerrno>
    #include <cstdio>
    #include <cstdlib>
    #include <cstring>
    #include <vector>

    #define PEER_TEXT(x) #x
    #define PEER_STRING(x) PEER_TEXT(x)

    static void writeAll(const char *p, size_t n) {
      while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { perror("simdjson peer: write"); exit(1); }
        p += w;
        n -= size_t(w);
      }
    }

    [[noreturn]] static void fail(const char *what, size_t line) {
      fprintf(stderr, "simdjson peer: line %zu: %s\n", line, what);
      exit(1);
    }

    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    int main(int argc, char **argv) {
      if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("%s %s\n", PEER_STRING(SIMDJSON_VERSION), simdjson::get_active_implementation()->name().c_str());
        return 0;
      }
      // Each turn reads what has arrived (up to the buffer's free space) and handles the complete
      // lines in it; the buffer doubles when one line does not fit. Both buffers keep simdjson's
      // padding after their end.
      size_t capacity = size_t(1) << 20;
      std::vector<char> in(capacity + simdjson::SIMDJSON_PADDING);
      std::vector<char> out(capacity + simdjson::SIMDJSON_PADDING + 1);
      simdjson::dom::parser parser;
      size_t have = 0;  // bytes in `in`
      size_t line = 1;  // the line number of in[0]
      bool eof = false;
      while (!eof || have > 0) {
        if (!eof) {
          if (have == capacity) {
            capacity *= 2;
            in.resize(capacity + simdjson::SIMDJSON_PADDING);
            out.resize(capacity + simdjson::SIMDJSON_PADDING + 1);
          }
          ssize_t n = read(0, in.data() + have, capacity - have);
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) { perror("simdjson peer: read"); return 1; }
          if (n == 0) eof = true;
          have += size_t(n);
        }
        // The complete lines: up to the last LF, or everything once the input has ended.
        size_t end = have;
        if (!eof) {
          const char *lf = static_cast<const char *>(memrchr(in.data(), '\n', have));
          if (lf == nullptr) continue;
          end = size_t(lf - in.data()) + 1;
        }
        const char *base = in.data();
        simdjson::dom::document_stream docs;
        // One batch as large as these lines, so that every document fits in it.
        size_t batch = std::max(end, simdjson::dom::MINIMAL_BATCH_SIZE);
        auto error = parser.parse_many(base, end, batch).get(docs);
        if (error) fail(simdjson::error_message(error), line);
        size_t written = 0;
        size_t previousEnd = 0;  // where the previous document of these lines ends
        bool first = true;
        for (auto it = docs.begin(); it != docs.end(); ++it) {
          size_t start = it.current_index();
          if (start > previousEnd) line += size_t(std::count(base + previousEnd, base + start, '\n'));
          simdjson::dom::element document;
          error = (*it).get(document);
          if (error) fail(simdjson::error_message(error), line);
          // NDJSON: one document per line, so a line break between two documents and none inside one.
          if (!first && (start < previousEnd || memchr(base + previousEnd, '\n', start - previousEnd) == nullptr))
            fail("more than one JSON text on the line", line);
          size_t length;
          if (base[start] == '{' || base[start] == '[') {
            length = it.source().size();  // up to the closing bracket
            if (memchr(base + start, '\n', length) != nullptr) fail("a JSON text spread over lines", line);
          } else {  // a number, string, true, false or null: the rest of its line, trailing blanks trimmed
            const char *lf = static_cast<const char *>(memchr(base + start, '\n', end - start));
            length = (lf == nullptr ? end : size_t(lf - base)) - start;
            while (length > 0 && isSpace(base[start + length - 1])) length--;
          }
          size_t minified = 0;
          error = simdjson::minify(base + start, length, out.data() + written, minified);
          if (error) fail(simdjson::error_message(error), line);
          written += minified;
          out[written++] = '\n';
          previousEnd = start + length;
          first = false;
        }
        // parse_many leaves out an incomplete document at the end instead of failing on it.
        for (size_t i = end - docs.truncated_bytes(); i < end; i++)
          if (!isSpace(base[i])) fail("a JSON text not complete on its line", line);
        if (end > previousEnd) line += size_t(std::count(base + previousEnd, base + end, '\n'));
        writeAll(out.data(), written);
        memmove(in.data(), in.data() + end, have - end);
        have -= end;
      }
      return 0;
    }
    """#

/// Where simdjson's header is looked for: the compiler's default include directories on Linux.
let simdjsonHeaderDirectories = ["/usr/include", "/usr/local/include"]

/// The simdjson peer built in `directory` from `simdjsonPeerSource`, when a C++ compiler is on PATH
/// and simdjson's header is installed; a note instead when the build fails; neither otherwise.
func simdjsonPeer(buildingIn directory: String) -> (peer: Peer?, note: String?) {
    guard let compiler = findOnPath("c++") ?? findOnPath("g++"),
        simdjsonHeaderDirectories.contains(where: { access("\($0)/simdjson.h", R_OK) == 0 })
    else { return (nil, nil) }
    let source = "\(directory)/peer-simdjson.cpp"
    let binary = "\(directory)/peer-simdjson"
    let log = "\(directory)/peer-simdjson.log"
    let fd = open(source, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    _ = Array(simdjsonPeerSource.utf8).withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
    close(fd)
    let command = [compiler, "-O3", "-std=c++17", "-DNDEBUG", "-o", binary, source, "-lsimdjson"]
    let built = runPipeline([command], input: "/dev/null", errors: log)
    guard built.statuses.allSatisfy({ $0 == 0 }) else {
        let firstLine = (readWholeFile(log) ?? []).split(separator: 0x0A).first.map { String(decoding: $0, as: UTF8.self) }
        return (nil, "simdjson peer left out: `\(command.joined(separator: " "))` failed: \(firstLine ?? "no message")")
    }
    // "3.0.1 haswell": the version it was compiled against and the kernel chosen on this CPU.
    let versionFile = "\(directory)/peer-simdjson.version"
    _ = runPipeline([[binary, "--version"]], input: "/dev/null", output: versionFile)
    let words = String(decoding: readWholeFile(versionFile) ?? [], as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
    let version = words.first.map { " \($0)" } ?? ""
    let kernel = words.count > 1 ? ", \(words[1]) kernel" : ""
    return (Peer(name: "simdjson\(version) (DOM parse_many + minify per document\(kernel))", command: [binary]), nil)
}

/// The peers found on this machine for NDJSON validation (building the Go and simdjson ones in
/// `directory`), and notes on those that could not be built.
func ndjsonPeers(buildingIn directory: String) -> (peers: [Peer], notes: [String]) {
    var peers: [Peer] = []
    var notes: [String] = []
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
    let simdjson = simdjsonPeer(buildingIn: directory)
    if let peer = simdjson.peer { peers.append(peer) }
    if let note = simdjson.note { notes.append(note) }
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
    return (peers, notes)
}
