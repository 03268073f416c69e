/// The entity that produced spans (a service instance), described by attributes.
public struct Resource: Hashable, Sendable {
    public var attributes: [Attribute]
    public var droppedAttributesCount: UInt32
    public var schemaURL: String

    public init(attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, schemaURL: String = "") {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.schemaURL = schemaURL
    }

    /// `service.name`, or OpenTelemetry's `unknown_service` when absent or empty.
    public var serviceName: String {
        if case .string(let name)? = attributes["service.name"], !name.isEmpty { return name }
        return "unknown_service"
    }
}
