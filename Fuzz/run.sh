#!/usr/bin/env bash
# Fuzzes the parsers that take outside input, one harness at a time.
#
#   Fuzz/run.sh [seconds] [harness ...]
#
# Builds the harnesses with libFuzzer and AddressSanitizer (a release build
# in Fuzz/.build, niced), then runs each for `seconds` (default 60) on the
# seeds in corpus/<harness>/ plus what earlier runs on this machine found
# (.build/fuzz-corpus/<harness>/). Prints executions, coverage and crashes
# per harness and a total line; exits 1 if any harness crashed, leaving the
# input in crashes/<harness>/ (keep it as a named test case, then fix).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
all=(FuzzCodes FuzzRoster FuzzSiteTOML FuzzLabWebhook FuzzWebhookHeaders FuzzAPIBodies FuzzPageForm FuzzHL7 FuzzMLLP)
harnesses=("${@:-${all[@]}}")

# -enable-testing lets a harness reach the parsers' internal functions
# (`@testable import`), as the test targets do. -parse-as-library: each
# harness has an `@main` that hands over to libFuzzer.
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing)
start=$(date +%s)
# SwiftPM plans again only when this manifest changes; the parent package's
# new source files would otherwise be missed.
touch Package.swift
nice -n 19 swift build "${flags[@]}" 2>&1 | grep -E "error|warning: unre|Compiling Fuzz|Build" || true
bin=$(nice -n 19 swift build "${flags[@]}" --show-bin-path)
echo "build: $(($(date +%s) - start)) s"

declare -A dictionary=(
    [FuzzRoster]=csv [FuzzSiteTOML]=toml [FuzzLabWebhook]=json [FuzzAPIBodies]=json [FuzzPageForm]=form [FuzzHL7]=hl7
)
declare -A max_len=([FuzzRoster]=16384 [FuzzSiteTOML]=8192 [FuzzLabWebhook]=8192 [FuzzHL7]=16384)
# TOMLKit 0.6 leaks a few bytes per parse (a strdup per string read, the
# parse-error buffer), about 1 KB with AddressSanitizer: millions of parses
# outgrow 2 GB. One import parses a few files, so Swabline does not feel it;
# a single allocation over 2 GB is still caught (-malloc_limit_mb).
declare -A rss_limit=([FuzzSiteTOML]=12288)

total_runs=0 total_crashes=0 total_seconds=0
printf '%-20s %8s %12s %10s %6s %8s\n' harness seconds executions exec/s cov crashes
for harness in "${harnesses[@]}"; do
    mkdir -p ".build/fuzz-corpus/$harness" "crashes/$harness"
    options=(
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -malloc_limit_mb=2048
        -rss_limit_mb="${rss_limit[$harness]:-2048}"
        -max_len="${max_len[$harness]:-4096}" -artifact_prefix="crashes/$harness/"
    )
    [ -n "${dictionary[$harness]:-}" ] && options+=(-dict="dictionaries/${dictionary[$harness]}.dict")
    log=".build/fuzz-$harness.log"
    began=$(date +%s)
    # The Swift backtracer would fight AddressSanitizer over a crash; libFuzzer reports it.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
        nice -n 19 "$bin/$harness" "${options[@]}" ".build/fuzz-corpus/$harness" "corpus/$harness" >"$log" 2>&1 || true
    took=$(($(date +%s) - began))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    crashes=$(find "crashes/$harness" -type f | wc -l)
    if grep -qE '^==[0-9]+==ERROR|Fatal error|deadly signal|ERROR: libFuzzer' "$log"; then
        crashes=$((crashes > 0 ? crashes : 1))
        grep -E 'Fatal error|ERROR|SUMMARY' "$log" | head -5 >&2
    fi
    printf '%-20s %8s %12s %10s %6s %8s\n' "$harness" "$took" "${runs:-0}" "${rate:-0}" "${cov:-?}" "$crashes"
    total_runs=$((total_runs + ${runs:-0}))
    total_crashes=$((total_crashes + crashes))
    total_seconds=$((total_seconds + took))
done
echo "total: ${#harnesses[@]} harnesses, ${total_seconds} s, ${total_runs} executions, crashes: ${total_crashes}"
[ "$total_crashes" -eq 0 ]
