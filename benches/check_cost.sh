#!/usr/bin/env bash
# What checking every response against its schema costs under load (issue 14, point 4):
# for each path, `cxgate load PATH` on the embedded mock checking every response
# (--sample-every 1) and checking almost none (--sample-every 1000000000), in the same run
# of this script; the ratio of their requests/s. Loopback only; each run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-10}
USERS=${USERS:-10}
PATHS=${PATHS:-auth statistics messaging export}
cargo build --release --bin cxgate >/dev/null
BIN=${CARGO_TARGET_DIR:-target}/release/cxgate
OUT=target/check-cost
rm -rf "$OUT" && mkdir -p "$OUT"
rps() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["overall"]["rps"], 1))' "$1/load-summary.json"; }
echo "| path | checking every response (req/s) | checking none (req/s) | ratio |"
echo "|---|---:|---:|---:|"
for path in $PATHS; do
  for every in 1 1000000000; do
    $BIN -q load "$path" --users "$USERS" --run-time "${SECS}s" --sample-every "$every" \
      --report-dir "$OUT/$path-$every" >/dev/null || true
  done
  all=$(rps "$OUT/$path-1"); none=$(rps "$OUT/$path-1000000000")
  echo "| $path | $all | $none | $(python3 -c "print(f'{$all/$none:.2f}')") |"
done
