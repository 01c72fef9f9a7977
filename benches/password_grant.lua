-- wrk: the password grant of the mock's seed user (benches/load_table.sh, sustained_auth.sh).
wrk.method = "POST"
wrk.body = "grant_type=password&username=tenant1%5Cagent1&password=agent1-password&scope=%2A"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic Y3hnYXRlLWNsaWVudDpjeGdhdGUtc2VjcmV0"
wrk.headers["x-api-key"] = "cxgate-api-key"
