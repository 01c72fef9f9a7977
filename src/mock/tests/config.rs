//! MockConfig: the seed file, and errors that name the problem.

use super::super::MockError;
use super::*;

const SEED_FILE: &str = include_str!("../../../targets/mock.toml");

const MINIMAL: &str = r#"
[auth]
token_lifetime_secs = 60
code_lifetime_secs = 30
api_keys = ["k"]
jwt_secret = "s"

[[tenants]]
name = "t"
contact_center_id = "cc"
environment_id = "env"

[[clients]]
id = "c"
secret = "cs"
redirect_uris = ["http://localhost/cb"]

[[users]]
username = 't\u'
password = "p"
dbid = 1
given_name = "G"
family_name = "F"
email = "u@t"
"#;

#[test]
fn targets_mock_toml_equals_the_default_seed() {
    let mut parsed = MockConfig::from_toml_str(SEED_FILE).unwrap();
    let sections = std::mem::take(&mut parsed.sections);

    assert_eq!(parsed, MockConfig::default_seed());
    for section in crate::mock::SEED_SECTIONS {
        let table = sections.get(section.name);
        assert!(
            (section.read)(table).unwrap(),
            "[{}] of targets/mock.toml differs from the family's default",
            section.name
        );
    }
}

#[test]
fn unknown_top_level_tables_such_as_target_are_ignored() {
    let text =
        format!("{MINIMAL}\n[target]\nbase_url = \"http://x\"\n[target.env]\napi_key = \"K\"\n");

    assert!(MockConfig::from_toml_str(&text).is_ok());
}

#[test]
fn a_broken_seed_is_an_error_naming_the_problem() {
    let user = &MINIMAL[MINIMAL.find("[[users]]").unwrap()..];
    let twice_user = format!("{MINIMAL}{}", user.replace("dbid = 1", "dbid = 2"));
    let twice_client = format!("{MINIMAL}[[clients]]\nid = \"c\"\nsecret = \"x\"\n");
    // (what is wrong, the seed, a part of the message)
    let cases = [
        (
            "a typo inside users",
            MINIMAL.replace("given_name", "givenName"),
            "givenName",
        ),
        (
            "a missing auth field",
            MINIMAL.replace("jwt_secret = \"s\"\n", ""),
            "jwt_secret",
        ),
        (
            "an undeclared tenant",
            MINIMAL.replace(r"username = 't\u'", r"username = 'other\u'"),
            "tenant `other`",
        ),
        (
            "a redirect URI with a fragment",
            MINIMAL.replace("http://localhost/cb", "http://localhost/cb#frag"),
            "fragment",
        ),
        (
            "a user name without backslash",
            MINIMAL.replace(r"username = 't\u'", "username = 'u'"),
            "tenant\\user",
        ),
        ("a user declared twice", twice_user, "declared twice"),
        (
            "a client declared twice",
            twice_client,
            "clients[1] `c` is declared twice",
        ),
    ];

    for (what, text, part) in cases {
        let message = MockConfig::from_toml_str(&text).unwrap_err().to_string();

        assert!(message.contains(part), "{what}: {message}");
    }
}

#[test]
fn from_file_names_the_file_when_it_is_missing_or_broken() {
    let dir = std::env::temp_dir().join(format!("cxgate-mock-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[auth\n").unwrap();
    let missing = dir.join("missing.toml");

    let broken_error = MockConfig::from_file(&broken).unwrap_err();
    let missing_error = MockConfig::from_file(&missing).unwrap_err();

    assert!(matches!(broken_error, MockError::ParseConfig { .. }));
    assert!(
        broken_error.to_string().contains("broken.toml"),
        "{broken_error}"
    );
    assert!(matches!(missing_error, MockError::ReadConfig { .. }));
    assert!(
        missing_error.to_string().contains("missing.toml"),
        "{missing_error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_custom_config_is_served() {
    let config = MockConfig::from_toml_str(MINIMAL).unwrap();
    let mock = Harness::start_with(config).await;

    let answer = mock
        .call(reqwest::Method::POST, "/auth/v3/oauth/token")
        .header("x-api-key", "k")
        .header("authorization", &basic("c", "cs"))
        .form(&[
            ("grant_type", "password"),
            ("username", "t\\u"),
            ("password", "p"),
        ])
        .send()
        .await;

    assert_eq!(answer.status, 200, "{}", answer.text);
    mock.server.shutdown().await;
}
