import Accounts
import Testing
@testable import Web

/// How the role form's fields become a role's name, permissions and service scope.
@Suite struct AdminRoleFormTests {
    func parts(name: String = "team", permissions: [String] = ["traces.read"], services: String) throws -> AdminRoleForm.Parts {
        try AdminRoleForm(name: name, permissionValues: permissions, services: services).parts().get()
    }

    @Test func patternsAreSplitAtCommasAndLineBreaksTrimmedAndDeduplicated() throws {
        let parts = try parts(services: " checkout ,payments-*\r\n\ncart\n checkout,, ")
        #expect(parts.serviceScope == .services(["checkout", "payments-*", "cart"]))
    }

    @Test func anEmptyOrBlankServicesFieldMeansEveryService() throws {
        #expect(try parts(services: "").serviceScope == .unrestricted)
        #expect(try parts(services: " , \n ").serviceScope == .unrestricted)
    }

    @Test func theNameIsTrimmedAndRepeatedPermissionsCountOnce() throws {
        let parts = try parts(name: "  on call  ", permissions: ["traces.read", "audit.read", "traces.read"], services: "")
        #expect(parts.name == "on call")
        #expect(parts.permissions == [.tracesRead, .auditRead])
    }

    @Test func fiftyPatternsOfTwoHundredCharactersAreAcceptedAndOneMoreOfEitherIsNot() throws {
        let fifty = (1...50).map { number in
            let prefix = "p\(number)-"
            return prefix + String(repeating: "a", count: 200 - prefix.count)
        }
        #expect(try parts(services: fifty.joined(separator: ",")).serviceScope.patterns?.count == 50)
        #expect(throws: AdminRoleForm.Problem.self) { try parts(services: (fifty + ["x"]).joined(separator: ",")) }
        #expect(throws: AdminRoleForm.Problem.self) { try parts(services: String(repeating: "a", count: 201)) }
    }

    @Test(arguments: ["a\u{202E}b", "a\u{200B}b", "a\tb", "a\u{7}b"])
    func aPatternWithInvisibleCharactersIsRefused(pattern: String) {
        #expect(throws: AdminRoleForm.Problem.self) { try parts(services: pattern) }
    }

    @Test func theEditFormStartsWithTheRolesValues() {
        let role = Role(name: "oncall", permissions: [.tracesRead, .alertsManage], serviceScope: .services(["a", "b*"]))
        let form = AdminRoleForm(role: role)
        #expect(form == AdminRoleForm(name: "oncall", permissionValues: ["alerts.manage", "traces.read"], services: "a, b*"))
        #expect(AdminRoleForm(role: .viewer).services == "")
    }
}
