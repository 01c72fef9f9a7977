#!/usr/bin/env bash
# One generator against N (issue 15): the same `cxgate load auth` run (USERS users in
# all, SECS seconds) as 1 shard, then as 3 shards started together with --start-at,
# against one `cxgate mock`; each merged with `cxgate load merge`. Prints each merged
# run's requests/s, the 3-shard run as a ratio to the 1-shard one (the anchor, same mock,
# same script run), a second 1-shard run after it (the drift of the anchor), and what a
# merge costs: its wall time and the size of a shard's metrics file.
# Release build; loopback only; every run is bounded by --run-time.
# On one machine the shards share its cores with each other and with the mock: the
# ratio says what spreading costs or gains here, not what N machines give.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-15}
USERS=${USERS:-48}
SHARDS=${SHARDS:-3}
PORT=${PORT:-18193}
cargo build --release --bin cxgate >/dev/null
BIN=${CARGO_TARGET_DIR:-target}/release/cxgate
OUT=target/shards
rm -rf "$OUT" && mkdir -p "$OUT"
$BIN mock --listen 127.0.0.1:$PORT >/dev/null & MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
sleep 1
field() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(round(s["overall"][sys.argv[2]]))' "$1/load-summary.json" "$2"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
spread() { # spread NAME N: N shards of one run, started together, then merged
  local name=$1 n=$2 start pids=() files=()
  start=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
  for i in $(seq 0 $((n - 1))); do
    $BIN -q load auth --target http://127.0.0.1:$PORT --users "$USERS" --increase-rate "$USERS" \
      --run-time "${SECS}s" --shard "$i/$n" --start-at "$start" \
      --metrics-out "$OUT/$name/shard-$i.json" --report-dir "$OUT/$name/shard-$i" >/dev/null 2>&1 &
    pids+=($!)
    files+=("$OUT/$name/shard-$i.json")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  local t0 t1
  t0=$(date +%s.%N)
  $BIN -q load merge "${files[@]}" --report-dir "$OUT/$name/merged" >/dev/null || true
  t1=$(date +%s.%N)
  echo "$(field "$OUT/$name/merged" rps) $(field "$OUT/$name/merged" count) $(python3 -c "print(f'{($t1-$t0)*1000:.0f}')") $(stat -c %s "${files[0]}")"
}
mkdir -p "$OUT/one" "$OUT/many" "$OUT/again"
read -r one one_n one_ms one_b <<<"$(spread one 1)"
echo "1 shard: $one req/s ($one_n requests; merge ${one_ms} ms, metrics file $one_b bytes) (anchor)"
read -r many many_n many_ms many_b <<<"$(spread many "$SHARDS")"
echo "$SHARDS shards: $many req/s merged ($many_n requests; merge of $SHARDS files ${many_ms} ms, a metrics file $many_b bytes), $(ratio "$many" "$one")x the 1-shard run"
read -r again again_n _ _ <<<"$(spread again 1)"
echo "1 shard again: $again req/s ($again_n requests), $(ratio "$again" "$one")x the first"
# What a merge costs per shard: MANY copies of one shard's file, renumbered as shards of
# a run of MANY, merged (its wall time over MANY; process start included).
MANY=${MANY:-200}
mkdir -p "$OUT/synthetic"
python3 - "$OUT/many/shard-0.json" "$OUT/synthetic" "$MANY" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
n = int(sys.argv[3])
for i in range(n):
    doc["shard"] = {"index": i, "count": n}
    json.dump(doc, open(f"{sys.argv[2]}/shard-{i}.json", "w"))
PY
t0=$(date +%s.%N)
$BIN -q load merge "$OUT"/synthetic/shard-*.json --report-dir "$OUT/synthetic/merged" >/dev/null || true
t1=$(date +%s.%N)
echo "merge of $MANY shard files: $(python3 -c "print(f'{($t1-$t0)*1000:.0f} ms, {($t1-$t0)*1000/$MANY:.2f} ms a shard')"), $(field "$OUT/synthetic/merged" count) requests"
