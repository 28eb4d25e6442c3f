#!/usr/bin/env bash
# Measures what including rekognition-cpp costs a user's build, in one run,
# and prints one table (the README's "build cost" figures).
#
#   bash tests/benchmarks/build_cost.sh           # median of 3, -O0 and -O2
#   bash tests/benchmarks/build_cost.sh --quick   # 1 repetition, -O0 only
#
# Three translation units, each compiled to an object file (no link) with
# the flags a user's build gets from the CMake target: -std=c++17
# -DREKOGNITION_WITH_CURL=1 -I include (RapidJSON, OpenSSL and libcurl are
# found in /usr/include):
#   baseline        includes only what the library includes itself (every
#                   `#include <...>` of include/rekognition/, derived at run
#                   time: libcurl, OpenSSL, RapidJSON, the standard and POSIX
#                   headers) and uses a few of them;
#   rekognition.hpp a user's TU: the single header, a Client built from a
#                   ClientConfig and one DetectCustomLabels call in a function
#                   that is never run (so everything it needs is instantiated);
#   client.hpp      the same TU including <rekognition/client.hpp>;
#   rekognition.hpp no Client
#                   a TU that includes the single header and constructs no
#                   Client (the other TUs of a user's program).
# Each is compiled with g++ and, when present, clang++ at -O0 and -O2.
# "seconds" is the wall time of the whole compiler process (driver, cc1plus,
# assembler), the median of the repetitions; "peak MB" is the largest
# maximum resident set size of the compiler reported by /usr/bin/time
# (%M: the largest of its processes). One untimed compile of every TU comes
# first so that all runs see warm caches (headers and compiler in the page
# cache). The ratio is to the baseline of the same compiler and level; the
# targets are: header-only <= 4x the baseline at -O0 and <= 8x at -O2.
#
# It needs g++ (clang++ is optional) and, through cmake/debian-packages.sh,
# installs the Debian packages with the headers (libssl-dev,
# libcurl4-openssl-dev, rapidjson-dev) and `time` (/usr/bin/time: the shell's
# `time` keyword cannot report peak memory) when they are missing. It changes
# nothing in the repository; its files live in a temporary folder.
#
# Environment: REKOGNITION_BUILD_COST_CXX (default "g++ clang++") lists the
# compilers; REKOGNITION_BUILD_COST_REPS overrides the repetitions.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

reps=${REKOGNITION_BUILD_COST_REPS:-3}
levels=(-O0 -O2)
if [ "${1:-}" = "--quick" ]; then
  reps=1
  levels=(-O0)
  shift
fi
if [ $# -gt 0 ]; then
  echo "usage: bash tests/benchmarks/build_cost.sh [--quick]" >&2
  exit 2
fi

# shellcheck source=../../cmake/debian-packages.sh
source cmake/debian-packages.sh
packages=(libssl-dev libcurl4-openssl-dev rapidjson-dev)
[ -x /usr/bin/time ] || packages+=(time)
rekognition_require_packages "${packages[@]}"
if [ ! -x /usr/bin/time ]; then
  echo "build_cost.sh: /usr/bin/time is missing (Debian package: time)" >&2
  exit 1
fi

compilers=()
for cxx in ${REKOGNITION_BUILD_COST_CXX:-g++ clang++}; do
  if command -v "$cxx" >/dev/null 2>&1; then
    compilers+=("$cxx")
  elif [ "$cxx" = g++ ]; then
    echo "build_cost.sh: g++ is missing: install it (apt-get install g++) and run again" >&2
    exit 1
  else
    echo "== $cxx: not found, its rows are skipped"
  fi
done
if [ ${#compilers[@]} -eq 0 ]; then
  echo "build_cost.sh: no compiler found (REKOGNITION_BUILD_COST_CXX=${REKOGNITION_BUILD_COST_CXX:-})" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rekognition-build-cost-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# --- the translation units -------------------------------------------------

# The baseline includes what the library includes, in the same conditions
# (<immintrin.h> only where base64.hpp includes it), and uses some of it.
{
  echo "// Baseline: the library's own #include <...> lines, without the library."
  grep -rh '^[[:space:]]*#[[:space:]]*include <' include/rekognition/ |
    sed 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*//; s/[[:space:]]*$//' | sort -u |
    while read -r header; do
      case "$header" in
        "<immintrin.h>")
          echo "#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))"
          echo "#include <immintrin.h>"
          echo "#endif"
          ;;
        *) echo "#include $header" ;;
      esac
    done
  cat <<'CPP'
int UseDependencies(const char* json) {
  rapidjson::Document document;
  document.Parse(json);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  document.Accept(writer);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(buffer.GetString()), buffer.GetSize(), digest);
  std::vector<std::string> parts{std::string(buffer.GetString()), curl_version()};
  std::map<std::string, int> counts;
  for (const auto& part : parts) ++counts[part];
  return static_cast<int>(counts.size()) + digest[0] + (EVP_sha256() != nullptr);
}
CPP
} >"$work/baseline.cpp"

user_tu() {  # $1: the header to include
  cat <<CPP
// A user's translation unit: one call, in a function that is never run.
#include <$1>

int CountLabels() {
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  rekognition::Client client(config);
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";
  request.image = rekognition::Image::FromS3("bucket", "shelf.jpg");
  request.min_confidence = 70;
  return static_cast<int>(client.DetectCustomLabels(request).custom_labels.size());
}
CPP
}
user_tu rekognition.hpp >"$work/single_header.cpp"
user_tu rekognition/client.hpp >"$work/client_hpp.cpp"
# The other TUs of a user's program: they include the library (to take a
# RekognitionApi& or a request, say) but construct no Client.
cat >"$work/include_only.cpp" <<'CPP'
// A user's translation unit that includes the library and constructs nothing.
#include <rekognition.hpp>

int MinConfidence(const rekognition::DetectCustomLabelsRequest& request) {
  return static_cast<int>(request.min_confidence.value_or(0));
}
CPP

# name|source|extra flags (the rows of the table, in order)
tus=("baseline|baseline.cpp|" "rekognition.hpp|single_header.cpp|" "client.hpp|client_hpp.cpp|"
  "rekognition.hpp no Client|include_only.cpp|")

# --- hook: the compiled mode ----------------------------------------------
# Once the headers support a compiled mode (the implementation built once
# into a library, user TUs seeing declarations only), its row is the user TU
# including <rekognition/client.hpp> with -DREKOGNITION_COMPILED=1. The
# headers say they support it by mentioning REKOGNITION_COMPILED in
# include/rekognition/version.hpp.
compiled_mode_note="compiled mode: not available (include/rekognition/version.hpp does not define REKOGNITION_COMPILED)"
add_compiled_mode_row() {
  if grep -q 'REKOGNITION_COMPILED' include/rekognition/version.hpp; then
    tus+=("client.hpp compiled|client_hpp.cpp|-DREKOGNITION_COMPILED=1")
    compiled_mode_note="compiled mode: measured (row \"client.hpp compiled\", -DREKOGNITION_COMPILED=1; the library's own build is not counted)"
  fi
}
add_compiled_mode_row

# --- measuring ---------------------------------------------------------------

compile() {  # $1 compiler, $2 level, $3 source, $4 extra flags, $5 file for time's output
  local extra=()
  [ -n "$4" ] && read -r -a extra <<<"$4"
  if ! /usr/bin/time -f '%e %M' -o "$5" "$1" -std=c++17 -DREKOGNITION_WITH_CURL=1 -I "$root/include" \
    "$2" ${extra[@]+"${extra[@]}"} -c "$work/$3" -o "$work/out.o" 2>"$work/compiler.log"; then
    echo "build_cost.sh: $1 $2 failed to compile $3:" >&2
    head -40 "$work/compiler.log" >&2
    exit 1
  fi
}

describe() {  # the first line of --version, shortened
  "$1" --version | head -1 | sed 's/ (.*)//'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== build cost: ${#compilers[@]} compiler(s), ${levels[*]}, $reps repetition(s), whole-process wall time"
echo "== machine: $(nproc) core(s), load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
for cxx in "${compilers[@]}"; do echo "== $cxx: $(describe "$cxx")"; done
echo "== warm-up: one untimed compile of every TU at ${levels[0]} (caches are warm for every timed run)"
for cxx in "${compilers[@]}"; do
  for tu in "${tus[@]}"; do
    IFS='|' read -r _ source extra <<<"$tu"
    compile "$cxx" "${levels[0]}" "$source" "$extra" "$work/warmup.time"
  done
done

# Repetitions are interleaved (every configuration once, then again) so
# that a burst of load elsewhere spreads over all rows instead of one.
for ((rep = 1; rep <= reps; rep++)); do
  echo "== repetition $rep/$reps"
  for cxx in "${compilers[@]}"; do
    for level in "${levels[@]}"; do
      for index in "${!tus[@]}"; do
        IFS='|' read -r _ source extra <<<"${tus[$index]}"
        compile "$cxx" "$level" "$source" "$extra" "$work/time"
        read -r seconds kilobytes <"$work/time"
        echo "$seconds" >>"$work/seconds.$cxx.$level.$index"
        echo "$kilobytes" >>"$work/kb.$cxx.$level.$index"
      done
    done
  done
done

target_for() {  # $1 level, $2 row name
  if [ "$2" = "client.hpp compiled" ]; then  # compiled mode: at most the baseline at -O2
    [ "$1" = "-O2" ] && echo 1.0
    return 0
  fi
  [ "$2" = "rekognition.hpp no Client" ] && return 0  # informative: no target
  case "$1" in
    -O0) echo 4 ;;
    -O2) echo 8 ;;
    *) echo "" ;;
  esac
}

echo
printf '%-10s %-26s %-5s %8s %8s %10s  %s\n' compiler TU opt seconds "peak MB" "x baseline" target
summary=()
for cxx in "${compilers[@]}"; do
  for level in "${levels[@]}"; do
    base=$(median <"$work/seconds.$cxx.$level.0")
    for index in "${!tus[@]}"; do
      IFS='|' read -r name _ _ <<<"${tus[$index]}"
      seconds=$(median <"$work/seconds.$cxx.$level.$index")
      megabytes=$(sort -n "$work/kb.$cxx.$level.$index" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
      ratio=$(awk -v s="$seconds" -v b="$base" 'BEGIN { printf "%.2f", (b > 0 ? s / b : 0) }')
      verdict=""
      limit=$(target_for "$level" "$name")
      if [ "$index" -gt 0 ] && [ -n "$limit" ]; then
        if awk -v r="$ratio" -v l="$limit" 'BEGIN { exit !(r <= l) }'; then
          verdict="<= ${limit}x met"
        else
          verdict="<= ${limit}x missed ($(awk -v s="$seconds" -v b="$base" -v l="$limit" 'BEGIN { printf "%.2f s over", s - b * l }'))"
        fi
        summary+=("$cxx $level $name: ${ratio}x, target ${verdict}")
      fi
      printf '%-10s %-26s %-5s %8s %8s %9sx  %s\n' "$cxx" "$name" "$level" "$seconds" "$megabytes" "$ratio" "$verdict"
    done
  done
done
echo
echo "$compiled_mode_note"
echo "targets (header-only: <= 4x the baseline at -O0, <= 8x at -O2; compiled mode: <= 1.0x at -O2):"
for line in "${summary[@]}"; do echo "  $line"; done
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
