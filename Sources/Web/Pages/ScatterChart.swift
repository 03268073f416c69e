import Foundation
import Storage

/// Renders search results as an SVG scatter plot (x: start time, y: duration), each dot a link to its trace.
///
/// The SVG is built here, not in a template, so every piece of trace data in it goes through `HTMLEscaping`.
struct ScatterChart {
    var width = 1000.0
    var height = 220.0
    var logScale = true
    private let left = 64.0, right = 16.0, top = 12.0, bottom = 28.0

    func render(_ traces: [TraceSummary]) -> String {
        guard !traces.isEmpty else { return "" }
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom

        // X: the results' start range, padded so no dot sits on an axis and wide enough (≥ 4 s)
        // that the five second-resolution tick labels are all different.
        var minStart = traces.map(\.startUnixNano).min() ?? 0
        var maxStart = traces.map(\.startUnixNano).max() ?? 0
        let pad = max((maxStart - minStart) / 20, 2_000_000_000)
        minStart = minStart > pad ? minStart - pad : 0
        maxStart += pad
        let xSpan = Double(maxStart - minStart)
        func x(_ t: UInt64) -> Double { left + Double(t - minStart) / xSpan * plotWidth }

        // Y: durations, by decade on a log scale or from zero on a linear one.
        let durations = traces.map { max($0.durationNanos, 1) }
        let maxDuration = durations.max() ?? 1
        let minDuration = durations.min() ?? 1
        var yTicks: [UInt64] = []
        let y: (UInt64) -> Double
        if logScale {
            var low: UInt64 = 1
            while low * 10 <= minDuration { low *= 10 }
            var high = low * 10
            while high < maxDuration, high < UInt64.max / 10 { high *= 10 }
            var tick = low
            while tick <= high { yTicks.append(tick); if tick > UInt64.max / 10 { break }; tick *= 10 }
            let logLow = log10(Double(low)), logHigh = log10(Double(high))
            y = { value in
                let fraction = (log10(Double(max(value, 1))) - logLow) / (logHigh - logLow)
                return top + plotHeight - fraction * plotHeight
            }
        } else {
            let step = Self.niceStep(Double(maxDuration) / 4)
            let high = step * (Double(maxDuration) / step).rounded(.up)
            var tick = 0.0
            while tick <= high + step / 2 { yTicks.append(UInt64(tick)); tick += step }
            y = { value in top + plotHeight - Double(value) / max(high, 1) * plotHeight }
        }

        var svg = "<svg class=\"scatter\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
        svg += "aria-label=\"Trace durations over time, \(traces.count) traces\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<g class=\"grid\">"
        for tick in yTicks {
            let ty = Self.number(y(tick))
            svg += "<line x1=\"\(Self.number(left))\" x2=\"\(Self.number(width - right))\" y1=\"\(ty)\" y2=\"\(ty)\"/>"
            svg += "<text class=\"ylabel\" x=\"\(Self.number(left - 6))\" y=\"\(ty)\">\(DurationText.format(tick))</text>"
        }
        let withDate = maxStart - minStart > 86_400_000_000_000
        for index in 0...4 {
            let t = minStart + UInt64(Double(maxStart - minStart) * Double(index) / 4)
            let tx = Self.number(x(t))
            svg += "<line x1=\"\(tx)\" x2=\"\(tx)\" y1=\"\(Self.number(top))\" y2=\"\(Self.number(top + plotHeight))\"/>"
            let anchor = index == 0 ? " start" : (index == 4 ? " end" : "")
            svg += "<text class=\"xlabel\(anchor)\" x=\"\(tx)\" y=\"\(Self.number(height - 8))\">\(TimeText.axis(t, withDate: withDate))</text>"
        }
        svg += "</g><g class=\"dots\">"
        for trace in traces {
            let radius = 3.5 + min(4, log2(Double(max(trace.spanCount, 1))) / 2)
            let root = trace.rootService.map { "\($0): \(trace.rootOperation ?? "")" } ?? "root span not received yet"
            var label = "\(root) — \(DurationText.format(trace.durationNanos)), \(trace.spanCount) spans"
            if trace.errorCount > 0 { label += ", \(trace.errorCount) errors" }
            label += " — \(TimeText.full(trace.startUnixNano))"
            svg += "<a href=\"/trace/\(trace.traceID.hex)\">"
            svg += "<circle class=\"\(trace.errorCount > 0 ? "dot err" : "dot")\" cx=\"\(Self.number(x(trace.startUnixNano)))\" "
            svg += "cy=\"\(Self.number(y(max(trace.durationNanos, 1))))\" r=\"\(Self.number(radius))\">"
            svg += "<title>\(HTMLEscaping.escape(label))</title></circle></a>"
        }
        svg += "</g></svg>"
        return svg
    }

    private static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for multiple in [1.0, 2.0, 2.5, 5.0, 10.0] where magnitude * multiple >= raw {
            return magnitude * multiple
        }
        return magnitude * 10
    }

    private static func number(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
