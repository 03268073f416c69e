/// The OTLP/JSON document shapes, written by hand rather than taken from swift-protobuf's JSON
/// mapping because OTLP/JSON differs from it: ids are hex (not base64) and unknown fields must
/// be ignored. Decoding goes straight to domain values; encoding emits what the spec asks for
/// (lowerCamelCase keys, hex ids, 64-bit integers as strings, enums as integers, defaults omitted).
enum OTLPJSON {}
