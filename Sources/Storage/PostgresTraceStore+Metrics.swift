import PostgresNIO

extension PostgresTraceStore {
    /// The most connections the store's pool opens at once (`skein_db_pool_connections_max`):
    /// postgres-nio's default, which `Database.open` does not change.
    public static var poolMaximumConnections: Int {
        PostgresClient.Configuration.Options().maximumConnections
    }
}
