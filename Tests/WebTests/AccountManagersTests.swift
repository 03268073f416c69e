import Accounts
import Foundation
import Testing
@testable import Web

/// `AccountManagers`: a change may not leave Skein without an enabled user holding both
/// `users.manage` and `roles.manage`, and is never refused for a state it did not cause.
@Suite struct AccountManagersTests {
    static let roles = Role.builtIns
    static let ada = User(name: "ada", displayName: "Ada", passwordHash: "", roleIDs: [Role.admin.id])
    static let bea = User(name: "bea", displayName: "Bea", passwordHash: "", roleIDs: [Role.admin.id])
    static let vic = User(name: "vic", displayName: "Vic", passwordHash: "", roleIDs: [Role.viewer.id])

    @Test func demotingOrDisablingTheOnlyManagerIsRefused() {
        var demoted = Self.ada
        demoted.roleIDs = [Role.viewer.id]
        var disabled = Self.ada
        disabled.isDisabled = true
        #expect(!AccountManagers.remain(afterChanging: demoted, among: [Self.ada, Self.vic], roles: Self.roles))
        #expect(!AccountManagers.remain(afterChanging: disabled, among: [Self.ada, Self.vic], roles: Self.roles))
    }

    @Test func aSecondEnabledManagerLetsTheFirstStepDown() {
        var demoted = Self.ada
        demoted.roleIDs = []
        #expect(AccountManagers.remain(afterChanging: demoted, among: [Self.ada, Self.bea], roles: Self.roles))
        var disabledBea = Self.bea
        disabledBea.isDisabled = true
        #expect(!AccountManagers.remain(afterChanging: demoted, among: [Self.ada, disabledBea], roles: Self.roles))
    }

    @Test func aRoleWithOnlyOneOfTheTwoPermissionsDoesNotMakeAManager() {
        let userManagers = Role(name: "user-managers", permissions: [.usersManage])
        let uma = User(name: "uma", displayName: "Uma", passwordHash: "", roleIDs: [userManagers.id])
        #expect(!AccountManagers.isManager(uma, roles: Self.roles + [userManagers]))
        #expect(AccountManagers.isManager(Self.ada, roles: Self.roles))
    }

    @Test func withNoManagerBeforeAnyChangeIsAccepted() {
        var promoted = Self.vic
        promoted.roleIDs = [Role.responder.id]
        #expect(AccountManagers.remain(afterChanging: promoted, among: [Self.vic], roles: Self.roles))
    }
}
