// Docs/CLI.md, "Several files" (issue 12 point 2): each FILE is a stream of its own, as with
// cat and jq: its own [DONE], --require-done and format detection; a file that cannot be
// opened is reported by name, the others are still converted, and the status at the end is 4.
import Foundation
import Testing

@Suite("Several files: each one a stream of its own")
struct SeveralInputsTests {
    @Test("[DONE] in a.sse ends a.sse only: b.sse is converted too")
    func donePerFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let a = try folder.file("a.sse", "data: {\"a\":1}\n\ndata: [DONE]\n\ndata: {\"after\":1}\n\n")
        let b = try folder.file("b.sse", "data: {\"b\":2}\n\ndata: [DONE]\n\n")
        let result = try Streamconv.run(["-f", "sse", "-t", "ndjson", a, b])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n{\"b\":2}\n")
        #expect(result.stderr.isEmpty)
        let auto = try Streamconv.run(["-t", "json-array", a, b])
        #expect(auto.termination == .exited(0), "\(auto)")
        #expect(auto.stdout == "[\n{\"a\":1},\n{\"b\":2}\n]\n", "\(auto)")
    }

    @Test("--require-done applies to each file: the one without [DONE] is named, status 3")
    func requireDonePerFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let cut = try folder.file("cut.sse", "data: {\"a\":1}\n\n")
        let whole = try folder.file("whole.sse", "data: {\"b\":2}\n\ndata: [DONE]\n\n")
        let result = try Streamconv.run(["-f", "sse", "--require-done", cut, whole])
        #expect(result.termination == .exited(3), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n")
        #expect(result.errors.hasPrefix("streamconv: \(cut):"), "\(result)")
        #expect(result.errors.contains("[DONE]"), "\(result)")
        let both = try Streamconv.run(["-f", "sse", "--require-done", whole, whole])
        #expect(both.termination == .exited(0) && both.stdout == "{\"b\":2}\n{\"b\":2}\n", "\(both)")
    }

    @Test("A missing file in the middle is reported by name; the files around it are converted; status 4 at the end")
    func missingFileInTheMiddle() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let a = try folder.file("a.ndjson", "{\"a\":1}\n")
        let c = try folder.file("c.ndjson", "{\"c\":3}\n")
        let missing = folder.url.appendingPathComponent("missing.ndjson").path
        let result = try Streamconv.run(["-t", "json-array", a, missing, c])
        #expect(result.termination == .exited(4), "\(result)")
        #expect(result.stdout == "[\n{\"a\":1},\n{\"c\":3}\n]\n", "a complete document: \(result)")
        #expect(result.errorLines == ["streamconv: cannot open \(missing): No such file or directory"], "\(result)")
        let last = try Streamconv.run(["-f", "ndjson", a, missing])
        #expect(last.termination == .exited(4) && last.stdout == "{\"a\":1}\n", "\(last)")
    }

    @Test("A directory given as a file is reported by name and skipped")
    func directory() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let a = try folder.file("a.ndjson", "{\"a\":1}\n")
        let result = try Streamconv.run(["-f", "ndjson", folder.url.path, a])
        #expect(result.termination == .exited(4), "\(result)")
        #expect(result.stdout == "{\"a\":1}\n", "\(result)")
        #expect(result.errors.contains(folder.url.path), "\(result)")
    }

    @Test("Each file is detected on its own; each wrong file is reported with its name")
    func detectionPerFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sse = try folder.file("a.sse", "data: {\"a\":1}\n\n")
        let ndjson = try folder.file("b.ndjson", "{\"b\":2}\n{\"b\":3}\n")
        let mixed = try Streamconv.run(["-f", "sse", sse, ndjson])
        #expect(mixed.termination == .exited(1), "\(mixed)")
        #expect(mixed.stdout == "{\"a\":1}\n")
        #expect(mixed.errors == "streamconv: \(ndjson): input looks like NDJSON: use -f ndjson, or leave -f out to detect it\n", "\(mixed)")
    }
}
