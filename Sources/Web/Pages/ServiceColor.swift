/// A stable colour per service name: a hash of the name picks one of the palette classes in `skein.css`.
enum ServiceColor {
    static let paletteSize = 24

    /// CSS class `svc-N` (N in 0..<paletteSize), the same for a name on every page and every run.
    static func cssClass(for service: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in service.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return "svc-\(hash % UInt32(paletteSize))"
    }
}
