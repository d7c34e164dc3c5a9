// Every fenced swift block of README.md and of the DocC articles must be a region of the sample
// tests (DocSampleTests.swift here and in StreamCodecFoundationTests), so each sample in the
// documentation is code that compiles and runs with its results checked.
import Foundation
import Testing

enum DocSamples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sampleSources = [
        "Tests/StreamCodecTests/DocSamples/DocSampleTests.swift",
        "Tests/StreamCodecFoundationTests/DocSampleTests.swift",
    ]
    static let catalog = "Sources/StreamCodec/StreamCodec.docc"

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The documents whose samples must be tested: the README and every article of the catalog.
    static func documents() throws -> [String] {
        let articles = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(catalog).path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "\(catalog)/\($0)" }
        return ["README.md"] + articles
    }

    /// The regions between "// doc-sample: begin" and "// doc-sample: end", without their
    /// common indentation.
    static func regions(in source: String) -> [String] {
        var regions: [String] = []
        var current: [Substring]?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "// doc-sample: begin" {
                current = []
                continue
            }
            if trimmed == "// doc-sample: end", let lines = current {
                let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
                regions.append(lines.map { String($0.dropFirst(min(indent, $0.count))) }.joined(separator: "\n"))
                current = nil
                continue
            }
            current?.append(line)
        }
        return regions
    }

    /// The fenced swift blocks of a Markdown document, without their leading import lines.
    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```swift" {
                current = []
                continue
            }
            if let lines = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                var body = lines[...]
                while let first = body.first, first.hasPrefix("import ") || first.isEmpty { body = body.dropFirst() }
                blocks.append(body.joined(separator: "\n"))
                current = nil
                continue
            }
            current?.append(line)
        }
        return blocks
    }
}

@Suite("The documentation's samples are the tested ones")
struct DocSamplesAreTestedTests {
    @Test("Every fenced swift block of the README and the DocC articles is a region of the sample tests")
    func everyBlockIsTested() throws {
        let regions = try Set(DocSamples.sampleSources.flatMap { DocSamples.regions(in: try DocSamples.read($0)) })
        #expect(regions.count >= 10)
        var blockCount = 0
        for document in try DocSamples.documents() {
            for block in DocSamples.swiftBlocks(in: try DocSamples.read(document)) {
                blockCount += 1
                let tested = regions.contains(block)
                #expect(tested, "\(document): this swift block is not a region of \(DocSamples.sampleSources):\n\(block)")
            }
        }
        #expect(blockCount >= regions.count)
    }

    @Test("Every sample region appears in a document (no sample is tested but unpublished)")
    func everyRegionIsPublished() throws {
        let blocks = try Set(DocSamples.documents().flatMap { DocSamples.swiftBlocks(in: try DocSamples.read($0)) })
        for source in DocSamples.sampleSources {
            for region in DocSamples.regions(in: try DocSamples.read(source)) {
                let published = blocks.contains(region)
                #expect(published, "\(source): this sample is in no document:\n\(region)")
            }
        }
    }

    @Test("The README and the catalog's articles are found, and the README's driver sample ends its input")
    func documentsFound() throws {
        let documents = try DocSamples.documents()
        #expect(documents.contains("README.md"))
        #expect(documents.count >= 7, "\(documents)")
        let readme = DocSamples.swiftBlocks(in: try DocSamples.read("README.md"))
        #expect(readme.contains { $0.contains("DecodingDriver") && $0.contains("finishInput()") })
    }

    @Test("The block and region readers: imports dropped, indentation removed, other languages ignored")
    func readers() {
        let markdown = "text\n```swift\nimport StreamCodec\n\nlet a = 1\n  let b = 2\n```\n```\nshell\n```\n"
        #expect(DocSamples.swiftBlocks(in: markdown) == ["let a = 1\n  let b = 2"])
        let source = "x\n    // doc-sample: begin\n    let a = 1\n      let b = 2\n\n    // doc-sample: end\n"
        #expect(DocSamples.regions(in: source) == ["let a = 1\n  let b = 2\n"])
    }
}
