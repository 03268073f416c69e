import Accounts
import Foundation
import Storage
import Web

/// What the UI listener needs for sign-in: the account store, the password hasher, the login
/// throttle (one per process, shared by every request) and the session lifetimes.
struct AccountServices: Sendable {
    let store: any AccountStore
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let sessionPolicy: SessionPolicy

    init(store: any AccountStore, hasher: PasswordHasher, throttle: LoginThrottle = LoginThrottle(), sessionPolicy: SessionPolicy = .standard) {
        self.store = store
        self.hasher = hasher
        self.throttle = throttle
        self.sessionPolicy = sessionPolicy
    }

    var signIn: SignIn {
        SignIn(store: store, hasher: hasher, throttle: throttle)
    }
}
