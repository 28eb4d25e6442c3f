#!/usr/bin/env bash
# The README's demo: build the two tools, start the local Rekognition Custom
# Labels endpoint, detect the labels of a sample image with the command line
# program and draw them into an SVG. Run from anywhere in a clone:
#
#   bash examples/demo.sh [IMAGE]        (default: examples/data/shelf.png)
#
# Missing Debian packages are installed first (see cmake/debian-packages.sh).
# REKOGNITION_BUILD_DIR picks the build directory (default: build);
# REKOGNITION_DEMO_NO_BUILD=1 skips the build (the CMake target `demo` builds first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="${REKOGNITION_BUILD_DIR:-build}"
image="${1:-examples/data/shelf.png}"
arn="arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/shelf-products.2024-05-01/1714560000000"

# Demo credentials: the endpoint accepts exactly these, and nothing real is used.
export AWS_ACCESS_KEY_ID=AKIAREKOGNITIONDEMO1
export AWS_SECRET_ACCESS_KEY=rekognition-local-demo-secret-key
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_REKOGNITION

if [ "${REKOGNITION_DEMO_NO_BUILD:-0}" != 1 ]; then
  # shellcheck source=../cmake/debian-packages.sh
  source cmake/debian-packages.sh
  rekognition_require_packages "${REKOGNITION_BUILD_PACKAGES[@]}"
  echo "== building rekognition-local and detect-custom-labels in $build"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j2 --target rekognition-local detect-custom-labels >/dev/null
fi

workdir="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

mkfifo "$workdir/out"
"$build/bin/rekognition-local" --port 0 --log-file "$workdir/requests.log" >"$workdir/out" &
server_pid=$!
read -r first_line <"$workdir/out"
url="${first_line#listening on }"
echo "== rekognition-local is $first_line"

mkdir -p "$build/demo"
svg="$build/demo/$(basename "${image%.*}").svg"
echo "== detect-custom-labels --output text $(basename "$image")"
"$build/bin/detect-custom-labels" --region us-east-1 --endpoint-url "$url" \
  --project-version-arn "$arn" --output text --svg "$svg" "$image"
echo "== the boxes are drawn in $svg"
echo "== request log:"
cat "$workdir/requests.log"
