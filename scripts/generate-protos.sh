#!/usr/bin/env bash
# Regenerates Sources/Ingest/Generated/*.pb.swift from Protos/.
#
# The generated files are committed; run this only after changing a .proto file.
# Needs protoc (Debian: apt-get install protobuf-compiler) and the swift-protobuf plugin at the
# version Package.swift uses, e.g.:
#   git clone https://github.com/apple/swift-protobuf.git /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && git checkout 1.39.0 && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift scripts/generate-protos.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [[ -z "$plugin" || ! -x "$plugin" ]]; then
    echo "error: set PROTOC_GEN_SWIFT to the protoc-gen-swift binary (see the top of this script)" >&2
    exit 1
fi
protoc="${PROTOC:-protoc}"
# google/protobuf/any.proto ships with protoc; Debian puts it in /usr/include.
include="${PROTOC_INCLUDE:-/usr/include}"

out="$root/Sources/Ingest/Generated"
mkdir -p "$out"
rm -f "$out"/*.pb.swift

cd "$root/Protos"
protos=$(find . -name '*.proto' | sed 's|^\./||' | sort)
"$protoc" \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path=. --proto_path="$include" \
    --swift_opt=Visibility=Internal \
    --swift_opt=FileNaming=PathToUnderscores \
    --swift_out="$out" \
    $protos

echo "generated: $(ls "$out" | tr '\n' ' ')"
