import Accounts
import Foundation
import Testing

@Suite("TOTP")
struct TOTPTests {
    /// RFC 6238 appendix B: the SHA-1 secret is the ASCII "12345678901234567890".
    let rfcSecret = Array("12345678901234567890".utf8)

    @Test("The RFC 6238 SHA-1 test vectors (8 digits)", arguments: [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] as [(Double, String)])
    func rfcVectors(time: Double, code: String) {
        let totp = TOTP(secret: rfcSecret, digits: 8)
        #expect(totp.code(at: Date(timeIntervalSince1970: time)) == code)
    }

    @Test("Six-digit codes are the last six digits of the same values")
    func sixDigits() {
        let totp = TOTP(secret: rfcSecret)
        #expect(totp.code(at: Date(timeIntervalSince1970: 59)) == "287082")
        #expect(totp.code(at: Date(timeIntervalSince1970: 1_111_111_109)) == "081804")
    }

    @Test("The previous and next steps are accepted, older and newer ones are not")
    func drift() {
        let totp = TOTP(secret: rfcSecret)
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(for: totp.code(forStep: step), at: now) == step)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 1), at: now) == step - 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 1), at: now) == step + 1)
        #expect(!totp.verify(totp.code(forStep: step - 2), at: now) || totp.code(forStep: step - 2) == totp.code(forStep: step))
        #expect(!totp.verify("000000x", at: now))
        #expect(!totp.verify("", at: now))
        #expect(totp.verify(String(totp.code(forStep: step).prefix(3)) + " " + String(totp.code(forStep: step).suffix(3)), at: now))
    }

    @Test("Base32 round-trips and decodes the RFC 4648 vectors")
    func base32() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("f".utf8)) == "MY")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
        #expect(Base32.encode(rfcSecret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        let secret = TOTP.generateSecret()
        #expect(secret.count == 32)
        #expect(Base32.decode(secret)?.count == 20)
    }

    @Test("A TOTP made from a base32 secret gives the same codes")
    func fromBase32() throws {
        let totp = try #require(TOTP(base32Secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        #expect(totp.code(at: Date(timeIntervalSince1970: 59)) == "287082")
        #expect(TOTP(base32Secret: "") == nil)
        #expect(TOTP(base32Secret: "not base32!") == nil)
    }

    @Test("The provisioning address names the issuer and account and carries the secret")
    func provisioning() {
        let uri = TOTP(secret: rfcSecret).provisioningURI(account: "ada")
        #expect(uri.hasPrefix("otpauth://totp/Skein:ada?"))
        #expect(uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        #expect(uri.contains("issuer=Skein"))
        #expect(uri.contains("digits=6"))
        #expect(uri.contains("period=30"))
    }
}
