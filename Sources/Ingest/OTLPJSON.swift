/// The OTLP/JSON document shapes as read by `JSONDecoder`, written by hand rather than taken
/// from swift-protobuf's JSON mapping because OTLP/JSON differs from it: ids are hex (not
/// base64) and unknown fields must be ignored. Decoding goes straight to domain values;
/// `OTLPJSONWriter` writes the other direction.
enum OTLPJSON {}
