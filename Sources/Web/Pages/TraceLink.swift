/// Links into the trace page. Callers pass the `.hex` of parsed `TraceID`/`SpanID` values, so
/// the links hold hex digits only and need no encoding.
enum TraceLink {
    /// `/trace/{trace}?span={span}#span-{span}` when `select`, else `/trace/{trace}#span-{span}`
    /// (scrolled to the span, nothing selected).
    static func span(_ spanHex: String, inTrace traceHex: String, select: Bool) -> String {
        select ? "/trace/\(traceHex)?span=\(spanHex)#span-\(spanHex)" : "/trace/\(traceHex)#span-\(spanHex)"
    }
}
