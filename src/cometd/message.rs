//! Bayeux messages: one struct for every kind, fields as the Bayeux 1.0 spec names them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Server advice: how and when to reconnect.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// `retry`, `handshake` or `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconnect: Option<String>,
    /// Milliseconds to wait before the next connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
    /// Milliseconds the server may hold a connect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
}

/// A Bayeux message (request, reply or event).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub channel: String,
    /// Echoed by the server with its JSON type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub successful: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<Advice>,
    /// A channel name, or an array of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_connection_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext: Option<Value>,
    /// Anything else the peer sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Message {
    /// A message on `channel` with nothing else set.
    pub fn on(channel: &str) -> Message {
        Message {
            channel: channel.to_string(),
            ..Message::default()
        }
    }

    /// True for `/meta/...` channels.
    pub fn is_meta(&self) -> bool {
        self.channel.starts_with("/meta/")
    }

    /// The Bayeux error code (`402` of `402::Unknown client`).
    pub fn error_code(&self) -> Option<u16> {
        self.error
            .as_deref()?
            .split(':')
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// The suffix a vendor-style client appends to the URL for this meta message.
    pub fn url_suffix(&self) -> Option<&str> {
        self.channel.strip_prefix("/meta/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_captured_handshake_reply_parses() {
        let text = r#"{"minimumVersion":"1.0","clientId":"nv8g1psdzxpb9yol3z1l6zvk2p","supportedConnectionTypes":["long-polling","callback-polling"],
 "advice":{"interval":0,"timeout":20000,"reconnect":"retry"},"channel":"/meta/handshake","version":"1.0","successful":true}"#;
        let m: Message = serde_json::from_str(text).unwrap();
        assert_eq!(m.client_id.as_deref(), Some("nv8g1psdzxpb9yol3z1l6zvk2p"));
        assert_eq!(m.advice.unwrap().timeout, Some(20000));
    }

    #[test]
    fn an_error_code_is_read_from_the_error_string() {
        let mut m = Message::on("/meta/connect");
        m.error = Some("402::Unknown client".into());
        assert_eq!(m.error_code(), Some(402));
    }

    #[test]
    fn absent_fields_are_not_serialised() {
        let m = Message::on("/meta/disconnect");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"channel":"/meta/disconnect"}"#
        );
    }
}
