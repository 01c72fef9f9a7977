#!/usr/bin/env bash
# The mock's token endpoint (password grant) against its anchor, a static axum handler
# answering a fixed token body (examples/static_token.rs), under the same wrk load.
# Rounds alternate the two servers so that both see the same machine; each round
# prints both rates, their ratio, and each server's CPU time per request (user + system,
# from /proc, which other work on the machine disturbs less than the rate); the last
# lines are the medians.
# Needs wrk (Debian package `wrk`). Loopback only; every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-10}
ROUNDS=${ROUNDS:-4}
CONNS=${CONNS:-50}
cargo build --release --bin cxgate --example static_token >/dev/null
OUT=${CARGO_TARGET_DIR:-target}/release
$OUT/cxgate mock --listen 127.0.0.1:18181 >/dev/null & MOCK=$!
$OUT/examples/static_token 127.0.0.1:18182 >/dev/null & STATIC=$!
trap 'kill $MOCK $STATIC 2>/dev/null || true' EXIT
sleep 1
TICK=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wrk against $1 (pid) at $2 with extra wrk args; prints "req/s us-per-request".
measure() {
  local pid=$1 url=$2; shift 2
  local before out requests rate after
  before=$(ticks "$pid")
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" "$@" "$url")
  after=$(ticks "$pid")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rate=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  awk -v rate="$rate" -v r="$requests" -v t=$((after - before)) -v hz="$TICK" \
    'BEGIN { printf "%s %.1f\n", rate, t * 1e6 / hz / r }'
}
median() { sort -n | awk '{r[NR]=$1} END {printf "%.3f", (NR % 2) ? r[(NR+1)/2] : (r[NR/2] + r[NR/2+1]) / 2}'; }
ratios=() cpu_ratios=()
for round in $(seq 1 "$ROUNDS"); do
  read -r mock mock_us < <(measure $MOCK http://127.0.0.1:18181/auth/v3/oauth/token -s benches/password_grant.lua)
  read -r anchor anchor_us < <(measure $STATIC http://127.0.0.1:18182/)
  ratio=$(awk -v m="$mock" -v a="$anchor" 'BEGIN {printf "%.3f", m / a}')
  cpu_ratio=$(awk -v m="$mock_us" -v a="$anchor_us" 'BEGIN {printf "%.3f", a / m}')
  ratios+=("$ratio") cpu_ratios+=("$cpu_ratio")
  echo "round $round: token endpoint $mock req/s ($mock_us us CPU/request), static handler $anchor req/s ($anchor_us us CPU/request): rate ratio $ratio, CPU ratio $cpu_ratio"
done
echo "mock RSS after: $(grep VmRSS /proc/$MOCK/status)"
echo "median rate ratio $(printf '%s\n' "${ratios[@]}" | median) over $ROUNDS rounds"
echo "median CPU ratio (static CPU/request over token endpoint CPU/request) $(printf '%s\n' "${cpu_ratios[@]}" | median)"
