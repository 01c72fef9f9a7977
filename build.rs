//! The contract (features/ and schemas/) is built into the binary: a change to any file
//! below them, an added or a removed one, rebuilds it.

fn main() {
    println!("cargo::rerun-if-changed=features");
    println!("cargo::rerun-if-changed=schemas");
}
