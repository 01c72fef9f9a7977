//! Random UUIDs (version 4) for everything cxgate names: tokens, reference and operation
//! ids, trace ids, scratch directories. The bits come from `rand`'s thread-local
//! generator, which the mock and the load generator already use, so that UUIDs need no
//! random-number stack of their own and no system call each.

use uuid::{Builder, Uuid};

/// A new random (version 4) UUID.
pub fn uuid_v4() -> Uuid {
    Builder::from_random_bytes(rand::random()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4_rfc_variant_and_distinct() {
        let a = uuid_v4();
        let b = uuid_v4();
        assert_eq!(a.get_version_num(), 4);
        assert_eq!(a.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(a, b);
        let text = a.hyphenated().to_string();
        assert_eq!(Uuid::parse_str(&text).ok(), Some(a));
    }
}
