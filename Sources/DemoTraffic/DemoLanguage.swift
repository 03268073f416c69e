import TraceModel

/// The OpenTelemetry SDK a demo service is instrumented with, and the scopes that SDK's
/// instrumentation libraries report.
public enum DemoLanguage: String, Sendable, CaseIterable {
    case go
    case java
    case python
    case nodejs

    var sdkVersion: String {
        switch self {
        case .go: return "1.28.0"
        case .java: return "1.40.0"
        case .python: return "1.26.0"
        case .nodejs: return "1.25.1"
        }
    }

    var httpServerScope: InstrumentationScope {
        switch self {
        case .go: return Self.scope("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "0.53.0")
        case .java: return Self.scope("io.opentelemetry.tomcat-10.0", "2.6.0-alpha")
        case .python: return Self.scope("opentelemetry.instrumentation.flask", "0.47b0")
        case .nodejs: return Self.scope("@opentelemetry/instrumentation-http", "0.52.1")
        }
    }

    var httpClientScope: InstrumentationScope {
        switch self {
        case .go: return Self.scope("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "0.53.0")
        case .java: return Self.scope("io.opentelemetry.java-http-client", "2.6.0-alpha")
        case .python: return Self.scope("opentelemetry.instrumentation.requests", "0.47b0")
        case .nodejs: return Self.scope("@opentelemetry/instrumentation-undici", "0.4.0")
        }
    }

    var databaseScope: InstrumentationScope {
        switch self {
        case .go: return Self.scope("github.com/exaring/otelpgx", "0.6.2")
        case .java: return Self.scope("io.opentelemetry.jdbc", "2.6.0-alpha")
        case .python: return Self.scope("opentelemetry.instrumentation.psycopg", "0.47b0")
        case .nodejs: return Self.scope("@opentelemetry/instrumentation-pg", "0.43.0")
        }
    }

    var cacheScope: InstrumentationScope {
        switch self {
        case .go: return Self.scope("github.com/redis/go-redis/extra/redisotel", "9.5.1")
        case .java: return Self.scope("io.opentelemetry.lettuce-5.1", "2.6.0-alpha")
        case .python: return Self.scope("opentelemetry.instrumentation.redis", "0.47b0")
        case .nodejs: return Self.scope("@opentelemetry/instrumentation-ioredis", "0.42.0")
        }
    }

    var messagingScope: InstrumentationScope {
        switch self {
        case .go:
            return Self.scope("go.opentelemetry.io/contrib/instrumentation/github.com/IBM/sarama/otelsarama", "0.43.0")
        case .java: return Self.scope("io.opentelemetry.kafka-clients-0.11", "2.6.0-alpha")
        case .python: return Self.scope("opentelemetry.instrumentation.confluent_kafka", "0.47b0")
        case .nodejs: return Self.scope("@opentelemetry/instrumentation-kafkajs", "0.2.0")
        }
    }

    /// The user agent its HTTP client sends.
    var userAgent: String {
        switch self {
        case .go: return "Go-http-client/1.1"
        case .java: return "Java-http-client/21.0.4"
        case .python: return "python-requests/2.32.3"
        case .nodejs: return "node"
        }
    }

    private static func scope(_ name: String, _ version: String) -> InstrumentationScope {
        InstrumentationScope(name: name, version: version, schemaURL: DemoSystem.schemaURL)
    }
}
