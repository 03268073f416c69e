import TraceModel

// A failed login: auth rejects the password and answers 401.
extension DemoTraceBuilder {
    mutating func loginFailure(at startUnixNano: UInt64) {
        pageRequest(method: "POST", route: "/login", path: "/login", at: startUnixNano) { trace, root in
            let status = trace.call(from: &root, to: trace.system.gateway, method: "POST", route: "/api/v1/sessions",
                                    path: "/api/v1/sessions") { trace, gateway in
                trace.call(from: &gateway, to: trace.system.auth, method: "POST", route: "/v1/login", path: "/v1/login") { trace, auth in
                    let attempts = Int64.random(in: 1...6, using: &trace.random)
                    trace.query(from: &auth, "SELECT", table: "users",
                                statement: "SELECT id, password_hash, locked_until FROM users WHERE email = $1", rows: 1)
                    trace.inside(&auth, "verify password") { trace, verify in
                        verify.set("app.auth.hash_algorithm", .string("bcrypt"))
                        verify.set("app.auth.cost", .int(12))
                        trace.work(&verify, 45...110)
                    }
                    trace.cache(from: &auth, "INCR", key: "login_failures:\(trace.random.hex(bytes: 4))")
                    auth.addEvent("login rejected", [
                        Attribute("app.auth.reason", .string("invalid_credentials")),
                        Attribute("app.auth.failed_attempts", .int(attempts)),
                    ])
                    auth.fail("invalid credentials", type: "InvalidCredentials")
                    return 401
                }
            }
            trace.inside(&root, "render login") { trace, render in
                render.set("app.template", .string("login.hbs"))
                trace.work(&render, 1...5)
            }
            return status
        }
    }
}
