import Accounts
import Testing

@Suite("Password hashing")
struct PasswordHasherTests {
    let hasher = PasswordHasher(cost: 4)

    @Test("A hash verifies its password and no other")
    func roundTrip() async {
        let hash = await hasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$2"))
        #expect(!hash.contains("correct horse"))
        #expect(await hasher.verify("correct horse battery staple", against: hash))
        #expect(await !hasher.verify("correct horse battery stapl", against: hash))
        #expect(await !hasher.verify("", against: hash))
    }

    @Test("Hashing the same password twice gives different salted hashes")
    func salted() async {
        let first = await hasher.hash("same password here")
        let second = await hasher.hash("same password here")
        #expect(first != second)
        #expect(await hasher.verify("same password here", against: second))
    }

    @Test("Characters past bcrypt's 72 bytes still count")
    func longPasswordsCountInFull() async {
        let prefix = String(repeating: "a", count: 100)
        let hash = await hasher.hash(prefix + "1")
        #expect(await hasher.verify(prefix + "1", against: hash))
        #expect(await !hasher.verify(prefix + "2", against: hash))
    }

    @Test("An unknown user (no stored hash) never verifies, before and after warming up")
    func unknownUser() async {
        #expect(await !PasswordHasher(cost: 5).verify("anything", against: nil))
        await hasher.warmUp()
        #expect(await !hasher.verify("anything at all", against: nil))
        #expect(await !hasher.verify("", against: nil))
    }

    @Test("A malformed stored hash never verifies")
    func malformedHash() async {
        #expect(await !hasher.verify("password", against: "not a bcrypt hash"))
    }

    @Test("A hash of another cost needs rehashing")
    func rehash() async {
        let hash = await hasher.hash("correct horse battery staple")
        #expect(!hasher.needsRehash(hash))
        #expect(PasswordHasher(cost: 5).needsRehash(hash))
        #expect(hasher.needsRehash("garbage"))
    }
}
