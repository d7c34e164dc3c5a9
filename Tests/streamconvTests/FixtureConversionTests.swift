// Spec: CLI (`streamconv -f FORMAT -t FORMAT [FILE...]`, stdin when no FILE or FILE is `-`)
// and every format's semantics, through the fixture files: `Fixtures/<case>/input.<from>` must
// convert to exactly `Fixtures/<case>/expected.<to>`, read from a file and from a pipe.
import Foundation
import Testing

/// One conversion a fixture folder asks for.
struct FixtureConversion: Sendable, CustomTestStringConvertible {
    /// The formats of the original contract (used by tests that need a plain list of formats).
    static let formats = ["sse", "ndjson", "stream-json"]

    var caseName: String
    var from: String
    var to: String
    var inputPath: String
    var expectedPath: String

    var testDescription: String { "\(caseName): \(from) -> \(to)" }

    /// The format named by a fixture file's extension (`input.<format>`, `expected.<format>`).
    static func format(of file: String, prefix: String) -> String? {
        guard file.hasPrefix(prefix + "."), file.count > prefix.count + 1 else { return nil }
        return String(file.dropFirst(prefix.count + 1))
    }

    /// Every (input.<from>, expected.<to>) pair of every folder under Fixtures/, sorted. Any
    /// format name is taken (Fixtures/README.md: `<from>` and `<to>` are format names).
    static func all() -> [FixtureConversion] {
        let manager = FileManager.default
        let root = PackagePaths.fixtures
        guard let folders = try? manager.contentsOfDirectory(atPath: root.path) else { return [] }
        var found: [FixtureConversion] = []
        for folder in folders.sorted() {
            let dir = root.appendingPathComponent(folder)
            guard let files = try? manager.contentsOfDirectory(atPath: dir.path) else { continue }
            for input in files.sorted() {
                guard let from = format(of: input, prefix: "input") else { continue }
                for expected in files.sorted() {
                    guard let to = format(of: expected, prefix: "expected") else { continue }
                    found.append(
                        FixtureConversion(
                            caseName: folder, from: from, to: to,
                            inputPath: dir.appendingPathComponent(input).path,
                            expectedPath: dir.appendingPathComponent(expected).path))
                }
            }
        }
        return found
    }

    /// Fixtures/README.md: "converting any expected.<f> to a JSON format <g> gives expected.<g>,
    /// and converting expected.sse to sse gives expected.sse again": (expected.<f> as input,
    /// expected.<g> as output) for every such pair.
    static func crossConversions() -> [FixtureConversion] {
        let jsonFormats: Set = ["ndjson", "stream-json", "json-seq", "json-array"]
        var found: [FixtureConversion] = []
        var seen: Set<String> = []
        for conversion in all() where seen.insert("\(conversion.caseName)/\(conversion.to)").inserted {
            for target in all()
            where target.caseName == conversion.caseName
                && (jsonFormats.contains(target.to) || (conversion.to == "sse" && target.to == "sse"))
                && seen.insert("\(conversion.caseName)/\(conversion.to)->\(target.to)").inserted
            {
                found.append(
                    FixtureConversion(
                        caseName: conversion.caseName + " (expected.\(conversion.to))",
                        from: conversion.to, to: target.to,
                        inputPath: conversion.expectedPath, expectedPath: target.expectedPath))
            }
        }
        return found
    }
}

/// Where the input comes from.
enum InputRoute: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case fileArgument = "FILE argument"
    case standardInput = "standard input"
    case dashArgument = "'-' argument"
    case autoDetected = "FILE argument, no -f (auto-detected)"
    var testDescription: String { rawValue }
}

@Suite("Fixture conversions")
struct FixtureConversionTests {
    @Test("the Fixtures folder holds at least one input.<from> / expected.<to> pair (so the fixture test is not vacuous)")
    func fixturesExist() {
        #expect(
            !FixtureConversion.all().isEmpty, "no Fixtures/<case>/input.<from> with an expected.<to> under \(PackagePaths.fixtures.path)")
    }

    @Test(
        "streamconv -f <from> -t <to> prints exactly expected.<to>, nothing on stderr, and exits 0, whether the input is a FILE, '-', standard input or auto-detected",
        arguments: FixtureConversion.all(), InputRoute.allCases)
    func convertsFixture(_ fixture: FixtureConversion, route: InputRoute) throws {
        let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.inputPath)))
        let expected = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.expectedPath)))
        let arguments = ["-f", fixture.from, "-t", fixture.to]
        let result =
            switch route {
            case .fileArgument: try Streamconv.run(arguments + [fixture.inputPath])
            case .standardInput: try Streamconv.run(arguments, stdin: input)
            case .dashArgument: try Streamconv.run(arguments + ["-"], stdin: input)
            // Fixtures/README.md: "The same output comes with -f auto (the default)".
            case .autoDetected: try Streamconv.run(["-t", fixture.to, fixture.inputPath])
            }
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == Bytes(expected), "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty, "Fixtures/README.md: no conversion of a fixture fails or warns")
    }

    @Test(
        "the expected files convert into each other: expected.<f> to a JSON format <g> gives expected.<g>, expected.sse to sse gives itself",
        arguments: FixtureConversion.crossConversions())
    func expectedFilesConvertIntoEachOther(_ fixture: FixtureConversion) throws {
        let expected = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.expectedPath)))
        let result = try Streamconv.run(["-f", fixture.from, "-t", fixture.to, fixture.inputPath])
        #expect(result.termination == .exited(0), "\(result)")
        #expect(result.stdout == Bytes(expected), "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
    }
}
