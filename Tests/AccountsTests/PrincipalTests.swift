import Accounts
import Foundation
import Testing

@Suite("Principals")
struct PrincipalTests {
    let checkoutViewer = Role(name: "checkout viewer", permissions: [.tracesRead], serviceScope: .services(["checkout-*"]))
    let ordersResponder = Role(name: "orders responder", permissions: [.tracesRead, .alertsManage], serviceScope: .services(["orders"]))

    func user(_ roles: [Role], disabled: Bool = false) -> User {
        User(name: "ada", displayName: "Ada", passwordHash: "x", roleIDs: Set(roles.map(\.id)), isDisabled: disabled)
    }

    @Test("A user holds the union of their roles' permissions and scopes")
    func unionOfRoles() {
        let all = [checkoutViewer, ordersResponder, Role.admin]
        let principal = Principal(user: user([checkoutViewer, ordersResponder]), roles: all)
        #expect(principal.permissions == [.tracesRead, .alertsManage])
        #expect(principal.can(.alertsManage))
        #expect(!principal.can(.usersManage))
        #expect(principal.allows(service: "checkout-api"))
        #expect(principal.allows(service: "orders"))
        #expect(!principal.allows(service: "billing"))
        #expect(principal.displayName == "ada")
    }

    @Test("A user with no roles can do nothing and see no service")
    func noRoles() {
        let principal = Principal(user: user([]), roles: Role.builtIns)
        #expect(principal.permissions.isEmpty)
        #expect(!principal.allows(service: "checkout"))
    }

    @Test("A disabled user has no permissions even with the admin role")
    func disabledUser() {
        let principal = Principal(user: user([Role.admin], disabled: true), roles: Role.builtIns)
        #expect(!principal.can(.tracesRead))
        #expect(!principal.allows(service: "checkout"))
    }

    @Test("A read token reads traces within its scope and its owner's")
    func readToken() {
        let owner = user([ordersResponder, checkoutViewer])
        let token = APIToken(name: "grafana", kind: .read, ownerUserID: owner.id, scope: .services(["orders", "billing"]))
        let principal = Principal(token: token, owner: owner, ownerRoles: [ordersResponder, checkoutViewer], now: Date())
        #expect(principal.permissions == [.tracesRead])
        #expect(principal.allows(service: "orders"))
        #expect(!principal.allows(service: "billing"))
        #expect(!principal.allows(service: "checkout-api"))
        #expect(principal.displayName == "token:grafana")
        #expect(principal.userID == owner.id)
    }

    @Test("Ingest, revoked and expired tokens, and tokens of disabled owners, read nothing")
    func unusableTokens() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let owner = user([Role.admin])
        let tokens = [
            APIToken(name: "collector", kind: .ingest, ownerUserID: owner.id),
            APIToken(name: "old", kind: .read, ownerUserID: owner.id, revokedAt: now.addingTimeInterval(-1)),
            APIToken(name: "expired", kind: .read, ownerUserID: owner.id, expiresAt: now),
        ]
        for token in tokens {
            #expect(Principal(token: token, owner: owner, ownerRoles: Role.builtIns, now: now).permissions.isEmpty)
        }
        let live = APIToken(name: "live", kind: .read, ownerUserID: owner.id, expiresAt: now.addingTimeInterval(60))
        #expect(Principal(token: live, owner: owner, ownerRoles: Role.builtIns, now: now).can(.tracesRead))
        let disabledOwner = user([Role.admin], disabled: true)
        #expect(!Principal(token: live, owner: disabledOwner, ownerRoles: Role.builtIns, now: now).can(.tracesRead))
    }
}
