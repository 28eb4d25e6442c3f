#!/usr/bin/env bash
# Measures the client against local servers and prints one table of figures
# and ratios (the README's "Performance" table). Not part of CI: it takes a
# few minutes and wants a quiet machine.
#
#   bash tests/benchmarks/run.sh
#
# Builds in Release into build-bench/ (REKOGNITION_BENCH_BUILD_DIR), installs
# the Debian packages it needs (nginx, Google Benchmark) when missing, starts
# nginx on 127.0.0.1 answering every POST / at once with a fixed
# DetectCustomLabels body over keep-alive, and runs:
#   - keepalive_calls_benchmark: sequential calls, 1 KiB and 4 MiB images,
#     our blocking client against a bare libcurl loop sending the same bytes;
#   - the same calls with boto3 and, when node and npm are present, the AWS
#     SDK for JavaScript v3 (installed into a temporary folder);
#   - concurrent_calls_benchmark (BM_AsyncInFlight): 64 and 256 asynchronous
#     calls in flight against rekognition-local --latency-ms 50, which it
#     starts itself; and rekognition-bench against a rekognition-local this
#     script starts, with the threads of its process counted;
#   - prepare_request_benchmark: preparing a request against its floor
#     (the median of 5 repetitions, taken with the floor's in the same run).
# Ratios are taken within the same run. Everything started is stopped.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${REKOGNITION_BENCH_BUILD_DIR:-$root/build-bench}
seconds=${REKOGNITION_BENCH_SECONDS:-3}  # per SDK measurement
if [ -d /root/.pyenv/shims ]; then export PATH="/root/.pyenv/shims:$PATH"; fi

# shellcheck source=../../cmake/debian-packages.sh
source cmake/debian-packages.sh
rekognition_require_packages "${REKOGNITION_BUILD_PACKAGES[@]}" libbenchmark-dev nginx

echo "== building (Release, $build)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DREKOGNITION_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j2 --target rekognition-local rekognition-bench \
  keepalive_calls_benchmark concurrent_calls_benchmark prepare_request_benchmark >/dev/null
bin=$build/bin

work=$(mktemp -d "${TMPDIR:-/tmp}/rekognition-bench-XXXXXX")
pids=()
cleanup() {
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + RANDOM % 20000))
}

answer='{"CustomLabels":[{"Name":"logo","Confidence":98.5,"Geometry":{"BoundingBox":{"Width":0.25,"Height":0.5,"Left":0.125,"Top":0.25}}}]}'
port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_max_body_size 16m;
  client_body_buffer_size 16m;
  server {
    listen 127.0.0.1:$port;
    location = / {
      default_type application/x-amz-json-1.1;
      return 200 '$answer';
    }
  }
}
CONF
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" >"$work/nginx/stdout.log" 2>&1 &
pids+=($!)
endpoint=http://127.0.0.1:$port
for _ in $(seq 50); do
  if curl -s -o /dev/null -X POST -d '{}' "$endpoint/"; then break; fi
  sleep 0.1
done
curl -sf -X POST -d '{}' "$endpoint/" >/dev/null || { echo "nginx did not start"; cat "$work/nginx/error.log"; exit 1; }

results=$work/results.txt
: >"$results"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"

echo "== sequential keep-alive calls: ours and bare libcurl ($endpoint, nginx)"
REKOGNITION_BENCH_ENDPOINT=$endpoint "$bin/keepalive_calls_benchmark" --benchmark_repetitions=5 \
  --benchmark_enable_random_interleaving=true --benchmark_min_time=0.3 2>&1 |
  grep -E '_median|^keepalive' | tee -a "$results"

if command -v python3 >/dev/null && python3 -c 'import boto3' 2>/dev/null; then
  echo "== boto3 $(python3 -c 'import boto3; print(boto3.__version__)')"
  python3 tests/benchmarks/sdk_keepalive.py "$endpoint" "$seconds" 1024 4194304 | tee -a "$results"
else
  echo "== boto3: not installed, skipped"
fi

if command -v node >/dev/null && command -v npm >/dev/null; then
  echo "== AWS SDK for JavaScript v3 (npm install into $work/js)"
  mkdir -p "$work/js"
  if (cd "$work/js" && npm install --no-audit --no-fund --loglevel=error \
    @aws-sdk/client-rekognition >/dev/null 2>&1); then
    (cd "$work/js" && node "$root/tests/benchmarks/sdk_keepalive.mjs" "$endpoint" "$seconds" 1024 \
      4194304 2>/dev/null) | tee -a "$results"
  else
    echo "npm install @aws-sdk/client-rekognition failed: skipped"
  fi
else
  echo "== AWS SDK for JavaScript v3: node or npm missing, skipped"
fi

echo "== asynchronous calls in flight against rekognition-local --latency-ms 50"
"$bin/concurrent_calls_benchmark" --benchmark_filter=BM_AsyncInFlight 2>&1 |
  grep -E '^async' | tee -a "$results"

echo "== rekognition-bench --concurrency 256 against rekognition-local --latency-ms 50"
"$bin/rekognition-local" --port 0 --latency-ms 50 --threads 600 --quiet \
  --access-key-id AKIDEXAMPLE --secret-access-key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
  >"$work/local.out" 2>"$work/local.err" &
pids+=($!)
for _ in $(seq 100); do grep -q '^listening on ' "$work/local.out" 2>/dev/null && break; sleep 0.1; done
local_url=$(sed -n 's/^listening on //p' "$work/local.out" | head -1)
[ -n "$local_url" ] || { echo "rekognition-local did not start"; cat "$work/local.err"; exit 1; }
AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
  AWS_SESSION_TOKEN= AWS_PROFILE= AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$bin/rekognition-bench" --endpoint-url "$local_url" --region us-east-1 \
  --project-version-arn "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/shelf-products.2024-05-01/1714560000000" \
  --image-bytes 1024 --duration 5 --concurrency 256 >"$work/bench.out" &
bench=$!
most=0
while kill -0 "$bench" 2>/dev/null; do
  n=$(ls "/proc/$bench/task" 2>/dev/null | wc -l)
  [ "$n" -gt "$most" ] && most=$n
  sleep 0.2
done
wait "$bench" || true
echo "cli256 $(grep -E '^requests_per_second=' "$work/bench.out") $(grep -E '^latency_ms_p99=' "$work/bench.out") threads=$most" |
  tee -a "$results"

echo "== preparing a request against its floor"
"$bin/prepare_request_benchmark" --benchmark_repetitions=5 2>&1 |
  grep -E '^prepare [0-9]+ (KiB|MiB):' | tee -a "$results"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"

# The table: one row per figure, with its ratio and target.
awk -v endpoint="nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') on 127.0.0.1" '
function row(what, figure, ratio, target) { printf "| %s | %s | %s | %s |\n", what, figure, ratio, target }
function verdict(r, t, higher) {
  if (higher ? r >= t : r <= t) return "met"
  return sprintf("**missed** by %.0f%%", higher ? (t - r) / t * 100 : (r - t) / t * 100)
}
/^== load before/ { load_before = $4 " " $5 " " $6 }
/^== load after/ { load_after = $4 " " $5 " " $6 }
/^keepalive [0-9]+ bytes: ours/ {
  size = $2; ours[size] = $5; bare[size] = $9; ratio[size] = $12; sub(/x$/, "", ratio[size])
}
/^keepalive [0-9]+ bytes per call/ { per_call[$2] = $0 }
/^boto3 / { split($3, kv, "="); boto[$2] = kv[2] }
/^js-v3 / { split($3, kv, "="); js[$2] = kv[2] }
/^async / {
  n = $2; async_rate[n] = $5; async_ideal[n] = $8; sub(/,$/, "", async_ideal[n])
  async_ratio[n] = $10; sub(/x$/, "", async_ratio[n]); sub(/^ratio /, "", async_ratio[n])
  match($0, /threads of this process: [0-9]+/); async_threads[n] = substr($0, RSTART + 25, RLENGTH - 25)
}
/^cli256 / { for (i = 2; i <= NF; i++) { split($i, kv, "="); cli[kv[1]] = kv[2] } }
/^prepare [0-9]+ (KiB|MiB):/ {
  size = ($3 == "KiB:" ? $2 * 1024 : $2 * 1048576)
  match($0, /: [0-9.]+ us/); prep[size] = substr($0, RSTART + 2, RLENGTH - 5)
  match($0, /floor [0-9.]+ us/); floor_us[size] = substr($0, RSTART + 6, RLENGTH - 9)
  prep_ratio[size] = sprintf("%.2f", prep[size] / floor_us[size])
}
END {
  printf "\nMeasured against %s and rekognition-local; load average before %s, after %s.\n\n", endpoint, load_before, load_after
  print "| What | Figure | Ratio (same run) | Target |"
  print "|---|---|---|---|"
  split("1024 4194304", sizes, " ")
  for (k = 1; k <= 2; k++) {
    s = sizes[k]; label = (s == 1024 ? "1 KiB" : "4 MiB")
    if (bare[s] == "") continue
    row(label " image, sequential over keep-alive: bare libcurl loop (same bytes)", bare[s] " calls/s", "1.00x (baseline)", "")
    row(label ": rekognition-cpp `DetectCustomLabels`", ours[s] " calls/s", ratio[s] "x", s == 1024 ? ">= 0.95x: " verdict(ratio[s], 0.95, 1) : "")
    if (js[s] != "") row(label ": AWS SDK for JavaScript v3", js[s] " calls/s", sprintf("%.2fx", js[s] / bare[s]), "")
    if (boto[s] != "") row(label ": boto3", boto[s] " calls/s", sprintf("%.2fx", boto[s] / bare[s]), "")
  }
  for (n = 64; n <= 256; n *= 4) {
    if (async_rate[n] == "") continue
    t = (n == 256 ? 0.9 : 0.95)
    row(n " async calls in flight, `rekognition-local --latency-ms 50`", async_rate[n] " calls/s, " async_threads[n] " threads", async_ratio[n] "x of the ideal " async_ideal[n], ">= " t "x: " verdict(async_ratio[n], t, 1) "; <= 2 threads: " (async_threads[n] <= 2 ? "met" : "**missed**"))
  }
  if (cli["requests_per_second"] != "")
    row("`rekognition-bench --concurrency 256`, same server, 5 s", cli["requests_per_second"] " calls/s, p99 " cli["latency_ms_p99"] " ms, " cli["threads"] " threads", sprintf("%.2fx of the ideal 5120", cli["requests_per_second"] / 5120), "")
  for (k = 1; k <= 2; k++) {
    s = sizes[k]; label = (s == 1024 ? "1 KiB" : "4 MiB")
    if (prep[s] == "") continue
    row("prepare and sign a " label "-image request", prep[s] " us", prep_ratio[s] "x the floor (base64 + SHA-256: " floor_us[s] " us)", s == 4194304 ? "<= 0.80x: " verdict(prep_ratio[s], 0.8, 0) : "<= 3 us: " verdict(prep[s], 3, 0))
  }
  print ""
  for (k = 1; k <= 2; k++) if (per_call[sizes[k]] != "") print per_call[sizes[k]]
}' "$results"
