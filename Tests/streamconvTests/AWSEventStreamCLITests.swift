// Spec: Docs/Formats.md "aws-eventstream" and Docs/CLI.md "Exit status", through the binary:
// every message before a bad one is written; a bad CRC or length is status 1 naming the byte
// offset; input cut inside a message is status 3; a message of type exception is status 1 naming
// its type and message; auto-detection; --decode-bytes applies only to aws-eventstream input.
// The binary input is made by the binary itself from envelope NDJSON (the encoder is checked
// byte for byte against hand-built vectors in StreamCodecTests).
import Foundation
import Testing

private func awsBytes(_ envelopes: [String]) throws -> [UInt8] {
    let result = try Streamconv.run(
        ["-f", "ndjson", "-t", "aws-eventstream", "--envelope"], stdin: envelopes.joined(separator: "\n") + "\n")
    #expect(result.termination == .exited(0), "\(result.stderr)")
    return result.stdout.bytes
}

private let good =
    #"{"headers":[{"name":":event-type","type":"string","value":"e"},{"name":":message-type","type":"string","value":"event"}],"data":"{\"n\":1}"}"#
private let exception =
    #"{"headers":[{"name":":message-type","type":"string","value":"exception"},{"name":":exception-type","type":"string","value":"ThrottlingException"}],"data":"{\"message\":\"slow down\"}"}"#

@Suite("aws-eventstream through the CLI")
struct AWSEventStreamCLITests {
    @Test("messages convert to NDJSON, SSE and the envelope, and are auto-detected")
    func converts() throws {
        let input = try awsBytes([good, good])
        let ndjson = try Streamconv.run(["-t", "ndjson"], stdin: input)
        #expect(ndjson.termination == .exited(0), "\(ndjson.stderr)")
        #expect(ndjson.stdout == "{\"n\":1}\n{\"n\":1}\n")
        let sse = try Streamconv.run(["-f", "application/vnd.amazon.eventstream", "-t", "sse"], stdin: input)
        #expect(sse.stdout == "event: e\ndata: {\"n\":1}\n\nevent: e\ndata: {\"n\":1}\n\n")
        let envelope = try Streamconv.run(["-f", "aws-eventstream", "--envelope"], stdin: input)
        let line = #"{"event":"e","# + good.dropFirst() + "\n" // "event" repeats :event-type
        #expect(envelope.stdout.text == line + line)
    }

    @Test("an exception message: the records before it are written, then status 1 naming its type and message")
    func exceptionStatus() throws {
        let result = try Streamconv.run(["-f", "aws-eventstream", "-t", "ndjson"], stdin: try awsBytes([good, exception, good]))
        #expect(result.termination == .exited(1))
        #expect(result.stdout == "{\"n\":1}\n")
        #expect(result.errors.contains("exception ThrottlingException: slow down"), "\(result.stderr)")
    }

    @Test("a corrupted message is status 1 with its byte offset; a cut one is status 3; the messages before are written")
    func badAndCut() throws {
        let one = try awsBytes([good])
        var corrupted = try awsBytes([good, good])
        corrupted[2 * one.count - 10] ^= 0x01 // a byte of the second message's payload
        let bad = try Streamconv.run(["-f", "aws-eventstream"], stdin: corrupted)
        #expect(bad.termination == .exited(1))
        #expect(bad.stdout == "{\"n\":1}\n")
        #expect(bad.errors.contains("message CRC-32") && bad.errors.contains("(byte offset \(2 * one.count - 4))"), "\(bad.stderr)")
        let cut = try Streamconv.run(["-f", "aws-eventstream"], stdin: Array(try awsBytes([good, good]).dropLast(3)))
        #expect(cut.termination == .exited(3))
        #expect(cut.stdout == "{\"n\":1}\n")
        #expect(cut.errors.contains("cut off"), "\(cut.stderr)")
    }

    @Test("read as SSE, an AWS event stream gets advice naming -f aws-eventstream")
    func advice() throws {
        let result = try Streamconv.run(["-f", "sse"], stdin: try awsBytes([good]))
        #expect(result.termination == .exited(1))
        #expect(result.errors.contains("use -f aws-eventstream"), "\(result.stderr)")
    }

    @Test("--decode-bytes applies only to aws-eventstream input (status 2 otherwise); --list-formats lists the format")
    func options() throws {
        let usage = try Streamconv.run(["-f", "ndjson", "--decode-bytes"], stdin: "{}\n")
        #expect(usage.termination == .exited(2), "\(usage.stderr)")
        let list = try Streamconv.run(["--list-formats"], stdin: "")
        #expect(list.stdout.text.contains("aws-eventstream") && list.stdout.text.contains("application/vnd.amazon.eventstream"))
    }
}
