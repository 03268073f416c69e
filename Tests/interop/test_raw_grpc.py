"""Raw grpcio calls to TraceService/Export: each row of the gRPC column of the response table, with
the status code, message and trailers a client sees."""

from __future__ import annotations

import time

import grpc
import pytest
from google.rpc.error_details_pb2 import RetryInfo
from google.rpc.status_pb2 import Status as RPCStatus
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import InstrumentationScope
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

import otlp_canonical as canon
import raw_otlp
from conftest import MAX_BODY_BYTES, SMALL_LIMITS
from otlp_responses import ingest_budget_held
from skein_api import assert_round_trip, get_json, read_jaeger_trace

EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
CALL_TIMEOUT_S = 60


@pytest.fixture
def channel():
    """Opens plaintext channels to the servers a test uses; closes them afterwards."""
    channels = []

    def open_channel(server) -> grpc.Channel:
        opened = grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}")
        channels.append(opened)
        return opened

    yield open_channel
    for opened in channels:
        opened.close()


def export_call(channel: grpc.Channel):
    """TraceService/Export taking and returning bytes, so anything can be sent."""
    return channel.unary_unary(EXPORT, request_serializer=None, response_deserializer=None)


def spans_request(service: str, count: int, bad_trace_ids: int = 0) -> tuple[ExportTraceServiceRequest, bytes]:
    """`count` valid spans of one new trace, then `bad_trace_ids` spans whose trace id is 3 bytes."""
    trace_id = raw_otlp.new_trace_id()
    base = time.time_ns() - 2_000_000_000
    spans = [
        Span(trace_id=trace_id, span_id=raw_otlp.new_span_id(), name=f"grpc span {index}",
             kind=Span.SPAN_KIND_INTERNAL, start_time_unix_nano=base + index,
             end_time_unix_nano=base + 1_000_000 + index)
        for index in range(count)
    ]
    spans += [
        Span(trace_id=b"\x01\x02\x03", span_id=raw_otlp.new_span_id(), name="bad trace id",
             start_time_unix_nano=base, end_time_unix_nano=base + 1)
        for _ in range(bad_trace_ids)
    ]
    request = ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=raw_otlp.key_values({"service.name": service})),
        scope_spans=[ScopeSpans(scope=InstrumentationScope(name="raw.grpc"), spans=spans)],
    )])
    return request, trace_id


def retry_delays(error: grpc.RpcError) -> tuple[list[float], list[float]]:
    """The retry delays in the `grpc-status-details-bin` google.rpc.Status details and in the
    `google.rpc.retryinfo-bin` trailer (what the Python exporter reads)."""
    trailers = dict(error.trailing_metadata() or ())
    from_status = []
    if "grpc-status-details-bin" in trailers:
        status = RPCStatus.FromString(trailers["grpc-status-details-bin"])
        assert status.code == error.code().value[0], f"status details disagree with the code: {status}"
        for detail in status.details:
            info = RetryInfo()
            if detail.Unpack(info):
                from_status.append(info.retry_delay.seconds + info.retry_delay.nanos / 1e9)
    from_trailer = []
    if "google.rpc.retryinfo-bin" in trailers:
        info = RetryInfo.FromString(trailers["google.rpc.retryinfo-bin"])
        from_trailer.append(info.retry_delay.seconds + info.retry_delay.nanos / 1e9)
    return from_status, from_trailer


def test_a_valid_request_is_answered_ok_without_partial_success_and_stored(skein, http, channel):
    request, trace_id = spans_request(f"interop-{skein.run_id}-rawgrpc", 3)
    answer = export_call(channel(skein))(request.SerializeToString(), timeout=CALL_TIMEOUT_S)

    response = ExportTraceServiceResponse.FromString(answer)
    assert not response.HasField("partial_success"), f"nothing was rejected: {response}"
    assert_round_trip(skein, http, canon.spans_from_pb_request(request), trace_id.hex())


def test_the_every_value_request_round_trips_exactly_over_grpc_with_gzip(skein, http, channel):
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-rawgrpc-gzip")
    export_call(channel(skein))(request.SerializeToString(), timeout=CALL_TIMEOUT_S,
                                compression=grpc.Compression.Gzip)
    assert_round_trip(skein, http, canon.spans_from_pb_request(request), trace_id.hex())


def test_spans_with_malformed_ids_come_back_in_partial_success_and_the_rest_is_stored(skein, http, channel):
    request, trace_id = spans_request(f"interop-{skein.run_id}-rawgrpc-partial", 2, bad_trace_ids=1)
    answer = export_call(channel(skein))(request.SerializeToString(), timeout=CALL_TIMEOUT_S)

    response = ExportTraceServiceResponse.FromString(answer)
    assert response.partial_success.rejected_spans == 1, str(response)
    assert "invalid_trace_id" in response.partial_success.error_message
    assert len(read_jaeger_trace(http, skein.ui, trace_id.hex(), 2)["spans"]) == 2


def test_bytes_that_are_not_an_export_request_are_invalid_argument(skein, channel):
    with pytest.raises(grpc.RpcError) as refused:
        export_call(channel(skein))(b"\xff\xff\xff not protobuf", timeout=CALL_TIMEOUT_S)

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.details().startswith("undecodable OTLP protobuf"), refused.value.details()
    assert retry_delays(refused.value) == ([], []), "retrying cannot help: no retry delay"


def test_more_spans_than_the_request_limit_is_invalid_argument(small_skein, http, channel):
    limit = SMALL_LIMITS["max_spans_per_request"]
    request, trace_id = spans_request(f"interop-{small_skein.run_id}-rawgrpc-many", limit + 1)
    with pytest.raises(grpc.RpcError) as refused:
        export_call(channel(small_skein))(request.SerializeToString(), timeout=CALL_TIMEOUT_S)

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert f"the limit is {limit} per request" in refused.value.details(), refused.value.details()
    get_json(http, f"{small_skein.ui}/api/traces/{trace_id.hex()}", expect=404)


@pytest.mark.parametrize("compression", [grpc.Compression.NoCompression, grpc.Compression.Gzip])
def test_a_message_over_the_body_limit_after_decompression_is_resource_exhausted(skein, channel, compression):
    # Valid protobuf framing is not needed: the size is checked before decoding.
    message = b"\x00" * (MAX_BODY_BYTES + 1024)
    with pytest.raises(grpc.RpcError) as refused:
        export_call(channel(skein))(message, timeout=CALL_TIMEOUT_S, compression=compression)

    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, refused.value.details()
    assert f"the limit is {MAX_BODY_BYTES}" in refused.value.details()
    assert retry_delays(refused.value) == ([], []), "a message over the limit never fits: no retry delay"


def test_a_decompression_bomb_is_refused_and_the_server_keeps_serving(skein, http, channel):
    # 32 MiB of zeros gzip to ~32 KiB; the transport stops inflating at twice the body limit
    # and resets the stream (grpc-swift-nio-transport sends no status for its own limit).
    bomb = b"\x00" * (4 * MAX_BODY_BYTES)
    calls = export_call(channel(skein))
    with pytest.raises(grpc.RpcError) as refused:
        calls(bomb, timeout=CALL_TIMEOUT_S, compression=grpc.Compression.Gzip)
    assert refused.value.code() != grpc.StatusCode.OK

    request, trace_id = spans_request(f"interop-{skein.run_id}-rawgrpc-afterbomb", 2)
    calls(request.SerializeToString(), timeout=CALL_TIMEOUT_S, compression=grpc.Compression.Gzip)
    assert len(read_jaeger_trace(http, skein.ui, trace_id.hex(), 2)["spans"]) == 2


def test_a_call_over_capacity_is_resource_exhausted_with_a_retry_delay_and_accepted_once_there_is_room(
        small_skein, http, channel):
    """The ingest budget is shared by every receiver: held through OTLP/HTTP, it refuses gRPC too."""
    request, trace_id = spans_request(f"interop-{small_skein.run_id}-rawgrpc-busy", 2)
    calls = export_call(channel(small_skein))
    with ingest_budget_held(small_skein):
        with pytest.raises(grpc.RpcError) as refused:
            calls(request.SerializeToString(), timeout=CALL_TIMEOUT_S)
    retried = ExportTraceServiceResponse.FromString(calls(request.SerializeToString(), timeout=CALL_TIMEOUT_S))

    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, refused.value.details()
    assert "retry" in refused.value.details()
    assert retry_delays(refused.value) == ([1.0], [1.0]), "the overload retry delay is 1 s, in both places"
    assert not retried.HasField("partial_success"), "the same call is accepted once there is room"
    assert len(read_jaeger_trace(http, small_skein.ui, trace_id.hex(), 2)["spans"]) == 2
