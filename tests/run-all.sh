#!/usr/bin/env bash
# Builds everything and runs the whole test suite (the README's test command).
# Missing Debian packages are installed first (see cmake/debian-packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../cmake/debian-packages.sh
source cmake/debian-packages.sh
rekognition_require_packages "${REKOGNITION_BUILD_PACKAGES[@]}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
