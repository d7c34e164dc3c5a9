import StreamCodec
// The chunking helper itself: the pieces it feeds are the input, its splits are
// deterministic, and it does see a decoder whose output depends on the split.
import Testing

@Suite("Chunking helper")
struct ChunkingSelfTests {
    @Test("every chunking's pieces concatenate back to the input, with strictly increasing cuts")
    func piecesReassemble() {
        let input = u8("0123456789abcdefghijklmnopqrstuvwxyz")
        for chunking in Chunking.all(for: input.count) {
            let pieces = chunking.pieces(of: input)
            #expect(Array(pieces.joined()) == input, "\(chunking)")
            #expect(pieces.allSatisfy { !$0.isEmpty }, "\(chunking) has an empty piece")
            #expect(zip(chunking.cuts, chunking.cuts.dropFirst()).allSatisfy { $0 < $1 }, "\(chunking)")
        }
        #expect(Chunking.bytewise(input.count).pieces(of: input).count == input.count)
    }

    @Test("random split points are the same on every run for a given seed, and differ between seeds")
    func deterministicSeeds() {
        #expect(Chunking.randomCuts(1000, seed: 7).cuts == Chunking.randomCuts(1000, seed: 7).cuts)
        #expect(Chunking.randomSmallPieces(1000, seed: 7).cuts == Chunking.randomSmallPieces(1000, seed: 7).cuts)
        #expect(Chunking.randomSmallPieces(1000, seed: 7).cuts != Chunking.randomSmallPieces(1000, seed: 8).cuts)
    }

    /// A decoder that (wrongly) returns whatever bytes are readable as one record.
    struct SplitSensitiveDecoder: StreamDecoder {
        mutating func decode(_ input: inout DecoderInput) throws(StreamCodecError) -> Record? {
            let n = input.readableCount
            guard n > 0 else { return nil }
            let bytes = input.withReadableBytes { Array($0) }
            input.consume(n)
            return .event(data: bytes)
        }
    }

    @Test("the helper tells apart a decoder whose records depend on the split")
    func detectsSplitDependence() {
        let input = u8("abc")
        let (whole, _) = decode(input, chunking: .whole) { SplitSensitiveDecoder() }
        let (bytes, _) = decode(input, chunking: .bytewise(3)) { SplitSensitiveDecoder() }
        #expect(whole.texts == ["abc"])
        #expect(bytes.texts == ["a", "b", "c"])
        #expect(whole != bytes)
    }
}
