//! `X-Hub-Signature` signing and verification of a 1 KB body, measured.
//!
//! `cargo bench --bench signing` reports time per operation and, with
//! `Throughput::Elements(1)`, operations per second: signatures/s for `sign` and
//! verifications/s for `verify` (a matching header, so the full HMAC and the
//! constant-time comparison both run).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxgate::signing::{sign, verify};
use std::hint::black_box;

const SECRET: &[u8] = b"cxgate-channel-secret-0123456789";

/// A 1,024-byte JSON-like body, the size of a typical inbound message batch.
fn body_1kb() -> Vec<u8> {
    let head = br#"{"messages":[{"channel":{"from":{"id":"16504661149"},"to":{"id":"0123456789"}},"type":"Text","text":""#;
    let tail = br#""}]}"#;
    let mut body = Vec::with_capacity(1024);
    body.extend_from_slice(head);
    body.resize(1024 - tail.len(), b'x');
    body.extend_from_slice(tail);
    body
}

fn signing(c: &mut Criterion) {
    let body = body_1kb();
    let header = sign(SECRET, &body);
    let mut group = c.benchmark_group("x-hub-signature 1 KB body");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sign", |b| {
        b.iter(|| sign(black_box(SECRET), black_box(&body)));
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            verify(
                black_box(SECRET),
                black_box(&body),
                black_box(Some(&header)),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
