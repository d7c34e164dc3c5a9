// SHA-256 against FIPS 180-2 appendix B and HMAC-SHA256 against RFC 4231 section 4.

import Testing

@testable import BridgeKit

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}
func bytes(hex text: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = text.startIndex
    while i < text.endIndex {
        let j = text.index(i, offsetBy: 2)
        out.append(UInt8(text[i..<j], radix: 16)!)
        i = j
    }
    return out
}

@Suite("SHA-256 and HMAC-SHA256")
struct SHA256Tests {
    @Test("SHA-256 of \"abc\" is FIPS 180-2's one-block example")
    func oneBlock() {
        #expect(hex(SHA256.hash("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("SHA-256 of the 448-bit message is FIPS 180-2's two-block example")
    func twoBlocks() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(hex(SHA256.hash(message.utf8)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("SHA-256 of the empty message and of a million a's")
    func emptyAndLong() {
        #expect(hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var h = SHA256()
        for _ in 0..<1000 { h.update([UInt8](repeating: 0x61, count: 1000)) }
        #expect(hex(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("HMAC-SHA256 matches RFC 4231 test cases 1, 2 and 6 (a key longer than a block)")
    func hmacVectors() {
        #expect(
            hex(HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: "Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            hex(HMACSHA256.authenticationCode(key: Array("Jefe".utf8), message: "what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            hex(
                HMACSHA256.authenticationCode(
                    key: [UInt8](repeating: 0xaa, count: 131),
                    message: "Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

@Suite("Credential binding")
struct CredentialBindingTests {
    let binding = CredentialBinding(key: Array("a key of sixteen bytes or more".utf8))

    @Test("the same credentials give the same binding, other credentials or none do not read the stream")
    func sameAndOther() {
        let alice = binding.binding(headers: [("authorization", "Bearer alice")])
        let again = binding.binding(headers: [("accept", "text/event-stream"), ("authorization", "Bearer alice")])
        let bob = binding.binding(headers: [("authorization", "Bearer bob")])
        #expect(alice != nil && alice == again)
        #expect(CredentialBinding.allows(again, toRead: alice))
        #expect(!CredentialBinding.allows(bob, toRead: alice))
        #expect(!CredentialBinding.allows(nil, toRead: alice))
        #expect(CredentialBinding.allows(bob, toRead: nil))
    }

    @Test("a cookie is a credential, and the binding is not the secret itself")
    func cookie() {
        let withCookie = binding.binding(headers: [("cookie", "session=s3cret")])
        #expect(withCookie != nil)
        #expect(withCookie != Array("session=s3cret".utf8))
        #expect(binding.binding(headers: [("accept", "*/*")]) == nil)
        // Moving text between headers changes the binding (the values are length-prefixed).
        #expect(binding.binding(headers: [("authorization", "a"), ("cookie", "b")]) != binding.binding(headers: [("authorization", "ab")]))
    }

    @Test("another key gives another binding")
    func keyed() {
        let other = CredentialBinding(key: Array("another key of sixteen bytes".utf8))
        #expect(other.binding(headers: [("authorization", "x")]) != binding.binding(headers: [("authorization", "x")]))
    }
}
