import Testing

// The driver's input storage grows for a large record and is kept while large records keep
// coming (each regrowth faulted in fresh pages: 30,000 faults where reading the same bytes from a
// file took 1,300), then released once records are small again: memory stays bounded by the
// largest record, and a stream of large records does not pay for a new allocation each.
@testable import StreamCodecCore

@Suite("The input storage of large records")
struct InputStorageTests {
    /// One NDJSON line of about `size` bytes, LF included.
    static func line(_ size: Int, _ tag: Int) -> [UInt8] {
        Array("{\"n\":\(tag),\"text\":\"".utf8) + [UInt8](repeating: 0x61, count: size) + Array("\"}\n".utf8)
    }

    @Test("kept across large records, released after small ones, records intact")
    func keptThenReleased() throws {
        var driver = DecodingDriver(decoder: NDJSONDecoder())
        var records = 0
        var largest = 0
        // Five lines of 400 KB, each written in pieces of 64 KiB as a pipe delivers them.
        for tag in 0..<5 {
            let bytes = Self.line(400_000, tag)
            var at = 0
            while at < bytes.count {
                let end = min(at + 65_536, bytes.count)
                driver.append(bytes[at..<end])
                at = end
                while let record = try driver.next() {
                    records += 1
                    #expect(record.data.count == bytes.count - 1)
                }
            }
            // The line is out and the driver asked for more: the storage is still there.
            #expect(driver.input.readableCount == 0)
            #expect(driver.input.storage.count >= 400_000, "released after line \(tag)")
            if tag > 0 { #expect(driver.input.storage.count == largest, "regrown for line \(tag)") }
            largest = max(largest, driver.input.storage.count)
        }
        #expect(records == 5)
        #expect(largest >= 400_000)
        // Small records again: after 16 reads that ended without a complete record, it is released.
        for tag in 0..<40 {
            driver.append(Self.line(100, tag) + Array("{\"partial\":".utf8))
            while try driver.next() != nil { records += 1 }
            driver.append(Array("1}\n".utf8))
            while try driver.next() != nil { records += 1 }
        }
        #expect(records == 5 + 80)
        #expect(driver.input.storage.count == 64 * 1024)
    }
}
