# cxgate in a container: the contract gate, the mock and the load tests, for CI runners
# and Kubernetes. The features and schemas are built into the binary.
#
#   docker build -t cxgate .
#   docker run --rm -v "$PWD/reports:/home/cxgate/reports" cxgate verify
#   docker run --rm -p 8080:8080 cxgate mock --listen 0.0.0.0:8080

# Build stage: the release binary. The registry and target caches survive between
# builds (BuildKit), so a change to the sources rebuilds cxgate only.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin cxgate \
 && cp target/release/cxgate /usr/local/bin/cxgate

# Final stage: the binary, the CA certificates for HTTPS targets and the example profiles.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --create-home --home-dir /home/cxgate cxgate
COPY --from=build /usr/local/bin/cxgate /usr/local/bin/cxgate
# The example profiles (they name variables, never secrets): --target targets/NAME.toml.
COPY --chown=10001:10001 targets/ /home/cxgate/targets/
# Not root: reports go to /home/cxgate/reports, the built-in contract to /tmp.
USER 10001:10001
WORKDIR /home/cxgate
ENTRYPOINT ["cxgate"]
CMD ["verify"]
