#!/usr/bin/env bash
# Side-by-side throughput of the auth path on this machine, as in the README's table:
#   1. cxgate load auth  -> cxgate mock (separate process)
#   2. wrk               -> the same mock's token endpoint (password grant)
#   3. wrk               -> a static axum handler with a fixed token body (upper limit)
# Needs wrk (Debian package `wrk`). Loopback only; every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-20}
USERS=${USERS:-50}
cargo build --release --bin cxgate --example static_token >/dev/null
OUT=${CARGO_TARGET_DIR:-target}/release
BIN=$OUT/cxgate
$BIN mock --listen 127.0.0.1:18181 >/dev/null & MOCK=$!
$OUT/examples/static_token 127.0.0.1:18182 >/dev/null & STATIC=$!
trap 'kill $MOCK $STATIC 2>/dev/null || true' EXIT
sleep 1
lua=benches/password_grant.lua
echo "== cxgate load auth ($USERS users, ${SECS}s) -> cxgate mock"
/usr/bin/time -f "generator max RSS %M KB" $BIN load auth --target http://127.0.0.1:18181 --users "$USERS" \
  --increase-rate "$USERS" --run-time "${SECS}s" --report-dir target/load-table | grep -E "all requests|userinfo|password grant"
echo "mock RSS after: $(grep VmRSS /proc/$MOCK/status)"
echo "== wrk -> mock token endpoint"
wrk -t2 -c"$USERS" -d"${SECS}s" --latency -s "$lua" http://127.0.0.1:18181/auth/v3/oauth/token | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "mock RSS after: $(grep VmRSS /proc/$MOCK/status)"
echo "== wrk -> static token handler"
wrk -t2 -c"$USERS" -d"${SECS}s" --latency http://127.0.0.1:18182/ | grep -E "Requests/sec|50%|99%"
