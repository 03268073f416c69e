import TraceModel

// HTTP server/client span pairs with the stable HTTP semantic conventions.
extension DemoTraceBuilder {
    /// A browser request arriving at the frontend: the root span of a trace.
    mutating func pageRequest(
        method: String, route: String, path: String, query: String? = nil, at startUnixNano: UInt64,
        handler: (inout Self, inout OpenSpan) -> Int
    ) {
        let frontend = system.frontend
        let clientAddress = "203.0.113.\(Int.random(in: 2...254, using: &random))"
        var attributes = Self.serverAttributes(
            method: method, route: route, scheme: "https", path: path, address: "shop.example.com", port: 443,
            clientAddress: clientAddress, peerAddress: "10.42.0.5", userAgent: random.pick(Self.browserAgents))
        attributes.append(Attribute("http.request.header.accept", .array(
            [.string("text/html"), .string("application/xhtml+xml"), .string("*/*;q=0.8")])))
        if let query { attributes.append(Attribute("url.query", .string(query))) }
        var root = start("\(method) \(route)", kind: .server, service: frontend, scope: frontend.language.httpServerScope,
                         parent: nil, at: startUnixNano, attributes: attributes)
        work(&root, 0.2...1.5)
        let status = handler(&self, &root)
        Self.respond(&root, status: status)
        finish(root, tail: 0.1...1.0)
    }

    /// The request attributes of an HTTP server span, shared by the frontend and every callee.
    private static func serverAttributes(
        method: String, route: String, scheme: String, path: String, address: String, port: Int64,
        clientAddress: String, peerAddress: String, userAgent: String
    ) -> [Attribute] {
        [
            Attribute("http.request.method", .string(method)),
            Attribute("http.route", .string(route)),
            Attribute("url.scheme", .string(scheme)),
            Attribute("url.path", .string(path)),
            Attribute("server.address", .string(address)),
            Attribute("server.port", .int(port)),
            Attribute("client.address", .string(clientAddress)),
            Attribute("network.peer.address", .string(peerAddress)),
            Attribute("network.protocol.version", .string("1.1")),
            Attribute("user_agent.original", .string(userAgent)),
        ]
    }

    /// Records a server span's answer; a 5xx the handler did not explain becomes an error.
    private static func respond(_ server: inout OpenSpan, status: Int) {
        server.set("http.response.status_code", .int(Int64(status)))
        if status >= 500, server.span.status.code == .unset { server.fail("", type: String(status)) }
    }

    /// A call from the caller's service to another instrumented service: a client span in the
    /// caller, a server span in the callee, network time on both sides. The handler does the
    /// callee's work and returns the HTTP status; `annotateClient` may add to the client span.
    @discardableResult
    mutating func call(
        from caller: inout OpenSpan, to callee: DemoService, method: String, route: String, path: String,
        query: String? = nil, resendCount: Int64 = 0,
        annotateClient: (inout Self, inout OpenSpan, Int) -> Void = { _, _, _ in },
        handler: (inout Self, inout OpenSpan) -> Int
    ) -> Int {
        let callerService = caller.service
        let callerAddress = caller.instance.ipAddress
        let calleeInstance = instance(of: callee)
        let url = "http://\(callee.address):\(callee.port)\(path)" + (query.map { "?" + $0 } ?? "")
        var clientAttributes = [
            Attribute("http.request.method", .string(method)),
            Attribute("url.full", .string(url)),
            Attribute("url.template", .string(route)),
            Attribute("server.address", .string(callee.address)),
            Attribute("server.port", .int(callee.port)),
            Attribute("network.peer.address", .string(calleeInstance.ipAddress)),
            Attribute("network.peer.port", .int(callee.port)),
            Attribute("peer.service", .string(callee.name)),
        ]
        if resendCount > 0 { clientAttributes.append(Attribute("http.request.resend_count", .int(resendCount))) }
        var client = start("\(method) \(route)", kind: .client, service: callerService,
                           scope: callerService.language.httpClientScope, parent: caller,
                           at: caller.cursor + random.millis(0.02...0.3), attributes: clientAttributes)

        var serverAttributes = Self.serverAttributes(
            method: method, route: route, scheme: "http", path: path, address: callee.address, port: callee.port,
            clientAddress: callerAddress, peerAddress: callerAddress, userAgent: callerService.language.userAgent)
        if let query { serverAttributes.append(Attribute("url.query", .string(query))) }
        var server = start("\(method) \(route)", kind: .server, service: callee, scope: callee.language.httpServerScope,
                           parent: client, at: client.cursor + random.millis(0.15...1.2), attributes: serverAttributes)
        work(&server, 0.1...0.8)
        let status = handler(&self, &server)
        Self.respond(&server, status: status)
        client.cursor = finish(server, tail: 0.05...0.5) + random.millis(0.15...1.2)

        client.set("http.response.status_code", .int(Int64(status)))
        if status >= 400 { client.fail("", type: String(status)) }
        annotateClient(&self, &client, status)
        caller.cursor = finish(client, tail: 0.01...0.1)
        return status
    }

    /// A call to a third-party API that reports no spans of its own: only the client span.
    mutating func callExternal(
        from caller: inout OpenSpan, to peer: DemoPeer, method: String, template: String, path: String,
        status: Int, latency: ClosedRange<Double>
    ) {
        var client = start(
            "\(method) \(template)", kind: .client, service: caller.service,
            scope: caller.service.language.httpClientScope, parent: caller,
            at: caller.cursor + random.millis(0.02...0.3),
            attributes: [
                Attribute("http.request.method", .string(method)),
                Attribute("url.full", .string("https://\(peer.address)\(path)")),
                Attribute("url.template", .string(template)),
                Attribute("server.address", .string(peer.address)),
                Attribute("server.port", .int(peer.port)),
                Attribute("network.peer.address", .string(peer.ipAddress)),
                Attribute("network.protocol.version", .string("2")),
                Attribute("peer.service", .string(peer.name)),
                Attribute("http.response.status_code", .int(Int64(status))),
            ])
        client.cursor += random.skewedMillis(latency)
        if status >= 400 { client.fail("", type: String(status)) }
        caller.cursor = finish(client, tail: 0.01...0.2)
    }

    private static var browserAgents: [String] {
        [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        ]
    }
}
