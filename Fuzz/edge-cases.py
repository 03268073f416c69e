#!/usr/bin/env python3
"""Write the hand-made edge cases for the three decoders into
Tests/IngestTests/FuzzRegressions/<decoder>/ (FuzzRegressionTests replays them; scripts/fuzz
also seeds the fuzzer with them). Each file is one request body, named for what it tries.

    python3 Fuzz/edge-cases.py        (plain python3: no packages needed)

Protobuf bodies are assembled by hand from the OTLP field numbers, so malformed encodings
(huge or overlong varint lengths, truncation, duplicate fields, invalid UTF-8) can be written.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "Tests" / "IngestTests" / "FuzzRegressions"

TRACE_ID = bytes.fromhex("0af7651916cd43dd8448eb211c80319c")
SPAN_ID = bytes.fromhex("b7ad6b7169203331")
PARENT_ID = bytes.fromhex("00f067aa0ba902b7")
TRACE_HEX, SPAN_HEX = TRACE_ID.hex(), SPAN_ID.hex()
START = 1_700_000_000_000_000_000


# ---------------------------------------------------------------- protobuf by hand

def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def tag(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def ld(field: int, payload: bytes) -> bytes:
    """A length-delimited field (message, string or bytes)."""
    return tag(field, 2) + varint(len(payload)) + payload


def vi(field: int, value: int) -> bytes:
    return tag(field, 0) + varint(value)


def f64(field: int, value: int) -> bytes:
    return tag(field, 1) + struct.pack("<Q", value & ((1 << 64) - 1))


def dbl(field: int, value: float) -> bytes:
    return tag(field, 1) + struct.pack("<d", value)


# OTLP field numbers: ExportTraceServiceRequest.resource_spans=1; ResourceSpans.resource=1,
# scope_spans=2; ScopeSpans.scope=1, spans=2; Span: trace_id=1 span_id=2 trace_state=3
# parent_span_id=4 name=5 kind=6 start=7 end=8 attributes=9 events=11 links=13 status=15
# flags=16; Event: time=1 name=2 attributes=3; Link: trace_id=1 span_id=2 attributes=4;
# KeyValue: key=1 value=2; AnyValue: string=1 bool=2 int=3 double=4 array=5 kvlist=6 bytes=7;
# ArrayValue.values=1; KeyValueList.values=1; Resource.attributes=1.

def any_string(text: bytes) -> bytes:
    return ld(1, text)


def key_value(key: bytes, value: bytes) -> bytes:
    return ld(1, key) + ld(2, value)


def nested_kvlist(levels: int) -> bytes:
    value = any_string(b"bottom")
    for _ in range(levels):
        value = ld(6, ld(1, key_value(b"k", value)))
    return value


def nested_array(levels: int) -> bytes:
    value = any_string(b"bottom")
    for _ in range(levels):
        value = ld(5, ld(1, value))
    return value


def pb_span(*extra: bytes, trace_id=TRACE_ID, span_id=SPAN_ID, name=b"edge") -> bytes:
    return ld(1, trace_id) + ld(2, span_id) + ld(5, name) + f64(7, START) + f64(8, START + 1000) + b"".join(extra)


def pb_request(*spans: bytes, resource: bytes = b"") -> bytes:
    scope_spans = b"".join(ld(2, span) for span in spans)
    resource_spans = (ld(1, resource) if resource else b"") + ld(2, scope_spans)
    return ld(1, resource_spans)


def protobuf_cases() -> dict[str, bytes]:
    good = pb_request(pb_span(ld(9, key_value(b"http.route", any_string(b"/x")))))
    return {
        "empty-body": b"",
        "empty-resource-spans": ld(1, b""),
        "kvlist-40-deep-in-span-attribute": pb_request(pb_span(ld(9, key_value(b"deep", nested_kvlist(40))))),
        "kvlist-41-deep-in-event-attribute": pb_request(pb_span(ld(11, f64(1, START) + ld(2, b"e") + ld(3, key_value(b"deep", nested_kvlist(41)))))),
        "kvlist-200-deep-beyond-limit": pb_request(pb_span(ld(9, key_value(b"deep", nested_kvlist(200))))),
        "array-60-deep-in-event-attribute": pb_request(pb_span(ld(11, f64(1, START) + ld(3, key_value(b"deep", nested_array(60)))))),
        "array-61-deep-in-resource-attribute": pb_request(pb_span(), resource=ld(1, key_value(b"deep", nested_array(61)))),
        "array-1000-deep-beyond-limit": pb_request(pb_span(ld(9, key_value(b"deep", nested_array(1000))))),
        "length-varint-max-uint64": tag(1, 2) + varint(2**64 - 1) + b"\x0a\x00",
        "length-varint-2-pow-31": tag(1, 2) + varint(2**31) + b"\x0a\x00",
        "length-varint-overlong-11-bytes": tag(1, 2) + b"\xff" * 10 + b"\x01",
        "span-name-length-beyond-body": pb_request(pb_span())[:-4] + tag(5, 2) + varint(1 << 40),
        "truncated-in-span": good[: len(good) // 2],
        "truncated-after-tag": good + tag(1, 2),
        "invalid-utf8-span-name": pb_request(pb_span(name=b"bad \xff\xfe utf8")),
        "invalid-utf8-attribute-key": pb_request(pb_span(ld(9, key_value(b"\xc3\x28", any_string(b"x"))))),
        "surrogate-encoded-in-utf8-name": pb_request(pb_span(name=b"\xed\xa0\x80")),
        "duplicate-trace-id-last-wins": pb_request(pb_span() + ld(1, b"\x00" * 16)),
        "duplicate-name-and-span-id": pb_request(pb_span() + ld(5, b"second name") + ld(2, b"\x11" * 8)),
        "all-zero-ids": pb_request(pb_span(trace_id=b"\x00" * 16, span_id=b"\x00" * 8)),
        "wrong-length-ids": pb_request(pb_span(trace_id=b"\x01" * 15), pb_span(span_id=b"\x01" * 9),
                                       pb_span(ld(4, b"\x01" * 7)), pb_span(ld(4, b"\x00" * 8))),
        "link-with-zero-ids": pb_request(pb_span(ld(13, ld(1, b"\x00" * 16) + ld(2, b"\x00" * 8)),
                                                 ld(13, ld(1, TRACE_ID) + ld(2, PARENT_ID)))),
        "kind-negative-and-unknown-status": pb_request(pb_span(vi(6, -1), ld(15, vi(3, 99) + ld(2, b"msg")))),
        "timestamps-max-and-end-before-start": pb_request(pb_span(f64(7, 2**64 - 1), f64(8, 0))),
        "double-nan-and-negative-zero": pb_request(pb_span(
            ld(9, key_value(b"nan", dbl(4, float("nan")))), ld(9, key_value(b"neg0", dbl(4, -0.0))),
            ld(9, key_value(b"inf", dbl(4, float("-inf")))),
            ld(9, key_value(b"signalling", tag(4, 1) + struct.pack("<Q", 0x7FF0000000000001))))),
        "any-value-two-oneof-fields": pb_request(pb_span(ld(9, key_value(b"both", any_string(b"s") + vi(3, 7))))),
        "empty-any-value-and-empty-array": pb_request(pb_span(ld(9, key_value(b"empty", b"")), ld(9, ld(1, b"no value")),
                                                              ld(9, key_value(b"arr", ld(5, b""))))),
        "unknown-fields-and-group": pb_request(pb_span(vi(999, 1), tag(1000, 3) + vi(1, 2) + tag(1000, 4), ld(77, b"x"))),
        "wire-type-mismatch-on-name": pb_request(pb_span(vi(5, 12))),
        "end-group-without-start": pb_request(pb_span()) + tag(5, 4),
        "invalid-wire-type-6": pb_request(pb_span()) + tag(5, 6) + b"\x00",
        "field-number-zero": b"\x02\x00",
    }


# ---------------------------------------------------------------- OTLP/JSON

def json_kvlist(levels: int) -> dict:
    value: dict = {"stringValue": "bottom"}
    for _ in range(levels):
        value = {"kvlistValue": {"values": [{"key": "k", "value": value}]}}
    return value


def json_array(levels: int) -> dict:
    value: dict = {"stringValue": "bottom"}
    for _ in range(levels):
        value = {"arrayValue": {"values": [value]}}
    return value


def json_span(**fields) -> dict:
    span = {"traceId": TRACE_HEX, "spanId": SPAN_HEX, "name": "edge",
            "startTimeUnixNano": str(START), "endTimeUnixNano": str(START + 1000)}
    span.update(fields)
    return span


def json_request(*spans: dict, resource: dict | None = None) -> dict:
    group: dict = {"scopeSpans": [{"scope": {"name": "edge"}, "spans": list(spans)}]}
    if resource is not None:
        group["resource"] = resource
    return {"resourceSpans": [group]}


def dumps(document) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def attr(key: str, value: dict) -> dict:
    return {"key": key, "value": value}


def otlp_json_cases() -> dict[str, bytes]:
    minimal = dumps(json_request(json_span()))
    return {
        "empty-object": b"{}",
        "empty-body": b"",
        "top-level-array": b"[]",
        "top-level-string": b'"resourceSpans"',
        "nulls-everywhere": b'{"resourceSpans":[{"resource":null,"scopeSpans":[{"scope":null,"spans":[{"traceId":"'
        + TRACE_HEX.encode() + b'","spanId":"' + SPAN_HEX.encode()
        + b'","name":null,"kind":null,"attributes":null,"events":null,"links":null,"status":null}]}]}]}',
        "kvlist-40-deep-in-event-attribute": dumps(json_request(json_span(events=[{"name": "e", "attributes": [attr("deep", json_kvlist(40))]}]))),
        "kvlist-41-deep-in-event-attribute": dumps(json_request(json_span(events=[{"name": "e", "attributes": [attr("deep", json_kvlist(41))]}]))),
        "kvlist-42-deep-in-span-attribute": dumps(json_request(json_span(attributes=[attr("deep", json_kvlist(42))]))),
        "kvlist-43-deep-in-resource-attribute": dumps(json_request(json_span(), resource={"attributes": [attr("deep", json_kvlist(43))]})),
        "kvlist-200-deep-beyond-limit": dumps(json_request(json_span(attributes=[attr("deep", json_kvlist(200))]))),
        "array-56-deep-in-event-attribute": dumps(json_request(json_span(events=[{"name": "e", "attributes": [attr("deep", json_array(56))]}]))),
        "array-2000-deep-beyond-limit": b'{"resourceSpans":' + b"[" * 2000 + b"]" * 2000 + b"}",
        "brackets-inside-strings-do-not-count": dumps(json_request(json_span(name="[" * 500 + "{" * 500))),
        "unbalanced-closing-brackets-first": b"}" * 300 + b"[" * 100 + b"]" * 100,
        "invalid-utf8-in-name": minimal.replace(b'"edge"', b'"ed\xff\xfege"'),
        "overlong-utf8-slash": minimal.replace(b'"edge"', b'"\xc0\xaf"'),
        "lone-high-surrogate-escape": minimal.replace(b'"edge"', b'"\\ud800"'),
        "lone-low-surrogate-escape": minimal.replace(b'"edge"', b'"\\udc00x"'),
        "reversed-surrogate-pair-escape": minimal.replace(b'"edge"', b'"\\udc00\\ud800"'),
        "valid-surrogate-pair-escape": minimal.replace(b'"edge"', b'"\\ud83d\\ude80"'),
        "nul-escape-in-key-and-name": minimal.replace(b'"edge"', b'"a\\u0000b"'),
        "invalid-escape": minimal.replace(b'"edge"', b'"\\x41"'),
        "utf8-bom-prefix": b"\xef\xbb\xbf" + minimal,
        "trailing-garbage": minimal + b" }{",
        "int-value-out-of-range": dumps(json_request(json_span(attributes=[
            attr("big", {"intValue": "9223372036854775808"})]))),
        "int-value-min-and-exponent": dumps(json_request(json_span(attributes=[
            attr("min", {"intValue": "-9223372036854775808"}), attr("exp", {"intValue": 1e3}),
            attr("frac", {"intValue": 1.5})]))),
        "int-value-1e400": minimal.replace(b'"name":"edge"', b'"name":"edge","attributes":[{"key":"x","value":{"intValue":1e400}}]'),
        "double-value-1e999-and-strings": minimal.replace(b'"name":"edge"', b'"name":"edge","attributes":[{"key":"x","value":{"doubleValue":1e999}},'
                                                          b'{"key":"n","value":{"doubleValue":"NaN"}},{"key":"i","value":{"doubleValue":"-Infinity"}}]'),
        "timestamps-negative-and-beyond-uint64": dumps(json_request(
            json_span(startTimeUnixNano="-1"), json_span(endTimeUnixNano="18446744073709551616"),
            json_span(startTimeUnixNano="+5"), json_span(startTimeUnixNano=1.8446744073709552e19))),
        "flags-and-kind-out-of-range": dumps(json_request(json_span(flags=4294967296), json_span(kind=2147483648),
                                                          json_span(kind="SPAN_KIND_NOPE"), json_span(kind=-3))),
        "duplicate-keys": minimal.replace(b'"name":"edge"', b'"name":"first","name":"second","traceId":"00000000000000000000000000000000"'),
        "duplicate-resource-spans-key": b'{"resourceSpans":[],"resourceSpans":' + minimal[len(b'{"resourceSpans":'):],
        "ids-uppercase-short-nonhex-zero": dumps(json_request(
            json_span(traceId=TRACE_HEX.upper()), json_span(traceId=TRACE_HEX[:31]), json_span(spanId="zz" + SPAN_HEX[2:]),
            json_span(spanId="0" * 16), json_span(parentSpanId="0" * 16), json_span(parentSpanId="1" * 15),
            json_span(traceId="+" + TRACE_HEX[1:]))),
        "span-id-as-number": dumps(json_request(json_span(spanId=123))),
        "ids-base64-as-protobuf-json-writes": dumps(json_request(json_span(traceId="CvdlGRbNQ92ESOshHIAxnA==", spanId="t61rcWkgMzE="))),
        "bytes-value-invalid-and-url-safe-base64": dumps(json_request(json_span(attributes=[
            attr("bad", {"bytesValue": "!!!"}), attr("urlsafe", {"bytesValue": "-_8"}), attr("one", {"bytesValue": "A"})]))),
        "any-value-two-fields-and-wrong-types": dumps(json_request(json_span(attributes=[
            attr("two", {"stringValue": "s", "intValue": "1"}), attr("wrong", {"boolValue": "true"})]))),
        "links-with-bad-ids-are-dropped": dumps(json_request(json_span(links=[
            {"traceId": "0" * 32, "spanId": SPAN_HEX}, {"traceId": TRACE_HEX, "spanId": "abc"},
            {"traceId": TRACE_HEX, "spanId": SPAN_HEX, "attributes": [attr("ok", {"boolValue": True})]}]))),
        "status-code-names-and-numbers": dumps(json_request(json_span(status={"code": "STATUS_CODE_ERROR", "message": "m"}),
                                                            json_span(status={"code": 7}))),
        "numbers-with-huge-exponents-and-digits": minimal.replace(b'"name":"edge"', b'"name":"edge","flags":' + b"9" * 400),
    }


# ---------------------------------------------------------------- Zipkin v2 JSON

def zipkin_span(**fields) -> dict:
    span = {"traceId": TRACE_HEX, "id": SPAN_HEX, "name": "edge", "timestamp": START // 1000, "duration": 5}
    span.update(fields)
    return span


def zipkin_cases() -> dict[str, bytes]:
    minimal = dumps([zipkin_span()])
    event = json.dumps({"cache.miss": {"key": "k", "n": 1, "tiers": ["a", "b"]}})
    deep_event = "{" + '"e":' + "[" * 20 + "1" + "]" * 20 + "}"
    return {
        "empty-array": b"[]",
        "empty-body": b"",
        "top-level-object": dumps(zipkin_span()),
        "nesting-17-beyond-limit": b"[" * 17 + b"]" * 17,
        "nesting-16-at-limit": b"[" + b"[" * 15 + b"]" * 15 + b"]",
        "annotation-event-json-and-deep-json": dumps([zipkin_span(annotations=[
            {"timestamp": START // 1000, "value": event}, {"timestamp": START // 1000 + 1, "value": deep_event},
            {"timestamp": START // 1000 + 2, "value": '{"a":{},"b":{}}'}, {"timestamp": 1, "value": "{not json}"},
            {"timestamp": 2, "value": '{"a":{"x":{"y":1}}}'}])]),
        "annotation-duplicate-keys": minimal.replace(b'"name":"edge"', b'"name":"edge","annotations":[{"timestamp":1,"value":"{\\"a\\":{\\"k\\":1,\\"k\\":2}}"}]'),
        "duplicate-tag-keys": minimal.replace(b'"name":"edge"', b'"name":"edge","tags":{"a":"1","a":"2","error":"x","error":""}'),
        "duplicate-span-fields": minimal.replace(b'"name":"edge"', b'"name":"edge","id":"0000000000000000","timestamp":null'),
        "tag-values-of-every-type": dumps([zipkin_span(tags={"s": "x", "n": 1, "f": 1.5, "b": True, "z": None})]),
        "tag-value-array-is-refused": dumps([zipkin_span(tags={"a": [1]})]),
        "timestamps-fractional-string-negative-huge": dumps([
            zipkin_span(timestamp=1.7e15 + 0.5), zipkin_span(timestamp=str(START // 1000)), zipkin_span(timestamp=-1),
            zipkin_span(timestamp=1e30), zipkin_span(timestamp="1e3")]),
        "duration-and-timestamp-overflow": dumps([zipkin_span(timestamp=2**64 - 1, duration=2**64 - 1)]),
        "no-timestamp-uses-annotations-or-is-rejected": dumps([
            zipkin_span(timestamp=None, annotations=[{"timestamp": 5, "value": "a"}, {"timestamp": 3, "value": "b"}]),
            zipkin_span(timestamp=None)]),
        "ids-short-long-zero-nonhex": dumps([
            zipkin_span(traceId="1"), zipkin_span(id="1"), zipkin_span(id="1" * 17), zipkin_span(traceId="0" * 32),
            zipkin_span(traceId="1" * 33), zipkin_span(id="x" * 16), zipkin_span(parentId="0" * 16),
            zipkin_span(parentId="1" * 17)]),
        "span-id-as-number": dumps([zipkin_span(id=7)]),
        "endpoints-and-ports": dumps([zipkin_span(kind="client", localEndpoint={"serviceName": "a", "ipv6": "::1", "port": 99999999999},
                                                  remoteEndpoint={"serviceName": "b", "ipv4": "1.2.3.4", "port": "-5"},
                                                  tags={"net.peer.ip": "kept", "service.name": "other"})]),
        "otel-status-and-dropped-count-tags": dumps([zipkin_span(tags={
            "otel.status_code": "error", "otel.status_description": "d", "otel.dropped_attributes_count": "4294967296",
            "otel.dropped_events_count": "-1", "otel.dropped_links_count": "3", "otel.scope.name": "s",
            "otel.library.name": "old", "host.name": "h", "service.name": "svc"})]),
        "invalid-utf8-and-surrogates": minimal.replace(b'"edge"', b'"\xff\\ud800\\udc00x\\udfff"'),
        "kind-and-flags-of-wrong-type": dumps([zipkin_span(kind=1, debug="yes", shared=1)]),
    }


def main() -> None:
    written = 0
    for decoder, cases in (("otlp-protobuf", protobuf_cases()), ("otlp-json", otlp_json_cases()),
                           ("zipkin-json", zipkin_cases())):
        folder = OUT / decoder
        folder.mkdir(parents=True, exist_ok=True)
        for name, body in cases.items():
            (folder / name).write_bytes(body)
            written += 1
    print(f"wrote {written} edge cases under {OUT}")


if __name__ == "__main__":
    main()
