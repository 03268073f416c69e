import Mustache

/// Direct field lookup for waterfall rows: a 10,000-span trace renders 10,000 rows, and
/// reflection-based lookup (Mirror) would dominate the page's rendering time.
extension TracePage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "spanID": return spanID
        case "anchor": return anchor
        case "href": return href
        case "name": return self.name
        case "service": return service
        case "colorClass": return colorClass
        case "kind": return kind
        case "depth": return depth
        case "indentClass": return indentClass
        case "opensGroup": return opensGroup
        case "childCount": return childCount
        case "descendantCount": return descendantCount
        case "closers": return closers
        case "barX": return barX
        case "barWidth": return barWidth
        case "duration": return duration
        case "offset": return offset
        case "isError": return isError
        case "isOrphan": return isOrphan
        case "isDuplicate": return isDuplicate
        case "parentSpanID": return parentSpanID
        case "isSelected": return isSelected
        case "isRestricted": return isRestricted
        // `false` rather than nil, so the lookup does not climb to the page for the 9,999 unselected rows.
        case "detail": return detail ?? false
        default: return nil
        }
    }
}
