import TraceModel

/// One running instance (pod) of a demo service: its address and its OpenTelemetry resource.
public struct DemoInstance: Sendable {
    public let hostName: String
    public let ipAddress: String
    public let resource: Resource

    init(service: String, version: String, language: DemoLanguage, podHash: String, ipAddress: String, pid: Int64) {
        let hostName = "\(service)-\(podHash)"
        self.hostName = hostName
        self.ipAddress = ipAddress
        resource = Resource(
            attributes: [
                Attribute("service.name", .string(service)),
                Attribute("service.version", .string(version)),
                Attribute("service.namespace", .string("shop")),
                Attribute("service.instance.id", .string(hostName)),
                Attribute("deployment.environment.name", .string("demo")),
                Attribute("host.name", .string(hostName)),
                Attribute("k8s.namespace.name", .string("shop")),
                Attribute("k8s.pod.name", .string(hostName)),
                Attribute("process.pid", .int(pid)),
                Attribute("process.runtime.name", .string(language.runtimeName)),
                Attribute("process.command_args", .array(language.commandArguments(service: service).map { .string($0) })),
                Attribute("telemetry.sdk.name", .string("opentelemetry")),
                Attribute("telemetry.sdk.language", .string(language.rawValue)),
                Attribute("telemetry.sdk.version", .string(language.sdkVersion)),
            ],
            schemaURL: DemoSystem.schemaURL)
    }
}

extension DemoLanguage {
    var runtimeName: String {
        switch self {
        case .go: return "go"
        case .java: return "OpenJDK Runtime Environment"
        case .python: return "cpython"
        case .nodejs: return "nodejs"
        }
    }

    func commandArguments(service: String) -> [String] {
        switch self {
        case .go: return ["/app/\(service)", "--config", "/etc/\(service)/config.yaml"]
        case .java: return ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/\(service).jar"]
        case .python: return ["gunicorn", "--workers", "4", "\(service).app:app"]
        case .nodejs: return ["node", "--enable-source-maps", "dist/server.js"]
        }
    }
}
