import TraceModel

/// One instrumented service of the demo system, with the instances (pods) it runs as.
public struct DemoService: Sendable {
    public let name: String
    public let version: String
    public let language: DemoLanguage
    /// The in-cluster host name other services call it by.
    public let address: String
    public let port: Int64
    /// One resource per running instance; a trace picks one of them per service.
    public let instances: [DemoInstance]

    init(name: String, version: String, language: DemoLanguage, port: Int64, index: Int, podHashes: [String]) {
        self.name = name
        self.version = version
        self.language = language
        self.address = "\(name).shop.svc.cluster.local"
        self.port = port
        self.instances = podHashes.enumerated().map { offset, podHash in
            DemoInstance(service: name, version: version, language: language, podHash: podHash,
                         ipAddress: "10.42.\(index).\(11 + offset)", pid: Int64(1 + (index * 7_919 + offset * 104_729) % 32_000))
        }
    }

    /// The scope for code the service's own developers instrumented by hand.
    var internalScope: InstrumentationScope {
        InstrumentationScope(name: "shop.\(name)", version: version)
    }
}
