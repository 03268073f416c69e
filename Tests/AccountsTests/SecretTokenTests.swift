import Accounts
import Foundation
import Testing

@Suite("Secret tokens")
struct SecretTokenTests {
    @Test("A token has its readable prefix and 32 random bytes in base64url", arguments: SecretToken.Kind.allCases)
    func shape(kind: SecretToken.Kind) {
        let token = SecretToken.generate(kind)
        #expect(token.value.hasPrefix(kind.rawValue))
        let body = token.value.dropFirst(kind.rawValue.count)
        #expect(body.count == 43)  // 32 bytes, unpadded
        #expect(body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(SecretToken.kind(of: token.value) == kind)
    }

    @Test("Two tokens are never the same")
    func unique() {
        let values = Set((0..<200).map { _ in SecretToken.generate(.session).value })
        #expect(values.count == 200)
    }

    @Test("Only the SHA-256 is kept, and it matches the presented secret alone")
    func hashing() {
        let token = SecretToken.generate(.read)
        #expect(token.hash.count == 32)
        #expect(token.hash == SecretToken.hash(token.value))
        #expect(SecretToken.matches(token.value, hash: token.hash))
        #expect(!SecretToken.matches(token.value + "x", hash: token.hash))
        #expect(!SecretToken.matches(String(token.value.dropLast()), hash: token.hash))
        // The well-known SHA-256 of "abc".
        #expect(SecretToken.hash("abc").map { String(format: "%02x", $0) }.joined()
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("Constant-time comparison is plain equality in its answers")
    func constantTimeEquality() {
        #expect(SecretToken.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!SecretToken.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!SecretToken.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(SecretToken.constantTimeEquals([], []))
    }

    @Test("A presented value with an unknown prefix has no kind")
    func unknownPrefix() {
        #expect(SecretToken.kind(of: "ghp_abcdef") == nil)
        #expect(APIToken.Kind.read.secretKind == .read)
        #expect(APIToken.Kind.ingest.secretKind == .ingest)
    }
}
