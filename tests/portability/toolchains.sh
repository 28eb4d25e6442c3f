#!/usr/bin/env bash
# The toolchain matrix on this (Debian 12) machine: each entry builds the
# library, detect-custom-labels and the unit tests with warnings as errors
# (Debug: the fastest to compile) and runs the unit tests, and says how long
# it took. The build folders are build-matrix/ENTRY.
#
#   tests/portability/toolchains.sh [ENTRY...]    (default: all of them)
#
# Entries: g++-11, clang-13 (libstdc++), clang-16-libc++, g++-12-c++20.
# (g++ 12 in C++17 is the main build of tests/run-all.sh; Debian 11 and 13
# are tests/portability/debian-chroot.sh.) Debian packages: g++-11 clang-13
# clang-16 libc++-16-dev libc++abi-16-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."

configure_args() {  # configure_args ENTRY: the CMake arguments of ENTRY
  case "$1" in
    g++-11) echo "-DCMAKE_CXX_COMPILER=g++-11" ;;
    clang-13) echo "-DCMAKE_CXX_COMPILER=clang++-13" ;;
    # Debian's cpp-httplib is built for libstdc++, so the loopback-server
    # tests are left out with libc++.
    clang-16-libc++)
      echo "-DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_CXX_FLAGS=-stdlib=libc++" \
        "-DCMAKE_EXE_LINKER_FLAGS=-stdlib=libc++ -DREKOGNITION_WITH_HTTPLIB=OFF"
      ;;
    g++-12-c++20) echo "-DCMAKE_CXX_COMPILER=g++-12 -DCMAKE_CXX_STANDARD=20" ;;
    *)
      echo "unknown entry: $1" >&2
      exit 2
      ;;
  esac
}

entries=("$@")
[ ${#entries[@]} -gt 0 ] || entries=(g++-11 clang-13 clang-16-libc++ g++-12-c++20)
summary=()
for entry in "${entries[@]}"; do
  args="$(configure_args "$entry")"
  dir="build-matrix/$entry"
  echo "== matrix $entry: $args"
  start=$(date +%s)
  # shellcheck disable=SC2086  # the arguments are words
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug $args >/dev/null
  cmake --build "$dir" -j2 --target unit_tests unit_tests_portable_numbers detect-custom-labels
  "$dir/bin/unit_tests"
  "$dir/bin/unit_tests_portable_numbers"
  "$dir/bin/detect-custom-labels" --help >/dev/null
  seconds=$(($(date +%s) - start))
  echo "== matrix $entry: passed in ${seconds} s"
  summary+=("$entry ${seconds}s")
done
echo "== matrix summary: ${summary[*]}"
