#!/usr/bin/env bash
# Does one `cxgate mock` keep its speed as it is used? (issue 14, point 1)
#   1. RUNS back-to-back `cxgate load auth` runs against one mock: each run's requests/s
#      as a ratio to the first (the anchor, same mock, same run of this script);
#   2. a wrk flood of password grants (FLOOD seconds), then one more load run, as a ratio
#      to the first;
#   3. one LONG-second run with the mock's RSS sampled every 5 s.
# Needs wrk (Debian package `wrk`). Loopback only; every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SECS=${SECS:-8}
USERS=${USERS:-32}
FLOOD=${FLOOD:-12}
LONG=${LONG:-60}
PORT=${PORT:-18191}
cargo build --release --bin cxgate >/dev/null
BIN=${CARGO_TARGET_DIR:-target}/release/cxgate
OUT=target/sustained
rm -rf "$OUT" && mkdir -p "$OUT"
$BIN mock --listen 127.0.0.1:$PORT >/dev/null & MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
sleep 1
rss() { awk '/VmRSS/ {print $2}' /proc/$MOCK/status; }
rps() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["overall"]["rps"], 1))' "$1/load-summary.json"; }
run() { # run NAME SECONDS
  $BIN -q load auth --target http://127.0.0.1:$PORT --users "$USERS" --increase-rate "$USERS" \
    --run-time "${2}s" --report-dir "$OUT/$1" >/dev/null || true
  rps "$OUT/$1"
}
first=$(run run1 "$SECS")
echo "run 1: $first req/s (anchor), mock RSS $(rss) KB"
for i in $(seq 2 "$RUNS"); do
  r=$(run "run$i" "$SECS")
  echo "run $i: $r req/s, $(python3 -c "print(f'{$r/$first:.2f}')")x the first, mock RSS $(rss) KB"
done
lua=benches/password_grant.lua
wrk -t2 -c50 -d"${FLOOD}s" -s "$lua" http://127.0.0.1:$PORT/auth/v3/oauth/token | grep -E "Requests/sec" | sed 's/^/wrk flood of password grants: /'
r=$(run after-flood "$SECS")
echo "after the flood: $r req/s, $(python3 -c "print(f'{$r/$first:.2f}')")x the first, mock RSS $(rss) KB"
( for _ in $(seq 1 $((LONG / 5))); do sleep 5; echo -n "$(rss) "; done > "$OUT/rss.txt" ) & SAMPLER=$!
r=$(run long "$LONG")
wait $SAMPLER || true
echo "${LONG}s run: $r req/s, $(python3 -c "print(f'{$r/$first:.2f}')")x the first; mock RSS every 5 s (KB): $(cat "$OUT/rss.txt")"
