//! The HTML sign-in form that `/oauth/authorize` shows and `/sign-in` re-shows.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::super::kernel::envelope::no_store;
use super::super::kernel::form::Form;
use super::authorize::hide_tenant;
use super::SIGN_IN_PATH;

/// What the form carries: the OAuth request as hidden fields, plus the fields
/// the user fills in. Values are kept as given and HTML-escaped on render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInForm {
    client_id: String,
    redirect_uri: String,
    response_type: String,
    state: String,
    scope: String,
    hide_tenant: bool,
    tenant: String,
    username: String,
    error: Option<&'static str>,
}

fn value(form: &Form, name: &str) -> String {
    form.get(name).unwrap_or_default().to_owned()
}

/// Escapes text for an HTML attribute value or element content.
pub fn escape(text: &str) -> String {
    crate::markup::escape(text, "&#39;", |c| c)
}

impl SignInForm {
    /// A blank form for the OAuth parameters of `form`.
    pub fn from_request(form: &Form) -> SignInForm {
        SignInForm {
            client_id: value(form, "client_id"),
            redirect_uri: value(form, "redirect_uri"),
            response_type: value(form, "response_type"),
            state: value(form, "state"),
            scope: value(form, "scope"),
            hide_tenant: hide_tenant(form),
            ..SignInForm::default()
        }
    }

    /// The same form again after a failed sign-in: tenant and username kept,
    /// password cleared, `Bad credentials` shown.
    pub fn failed(form: &Form) -> SignInForm {
        SignInForm {
            tenant: value(form, "tenant"),
            username: value(form, "username"),
            error: Some("Bad credentials"),
            ..SignInForm::from_request(form)
        }
    }

    /// `200 text/html; charset=utf-8`, one input per line, double-quoted attributes.
    /// `hideTenant` travels as a hidden field too, so a re-shown form keeps it.
    pub fn render(&self) -> Response {
        let hidden = [
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect_uri),
            ("response_type", &self.response_type),
            ("state", &self.state),
            ("scope", &self.scope),
        ];
        let mut html = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Sign in</title>\n</head>\n<body>\n<h1>Sign in</h1>\n",
        );
        if let Some(error) = self.error {
            html.push_str(&format!("<p class=\"error\">{}</p>\n", escape(error)));
        }
        html.push_str(&format!(
            "<form method=\"post\" action=\"{SIGN_IN_PATH}\">\n"
        ));
        for (name, value) in hidden {
            html.push_str(&format!(
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                escape(value)
            ));
        }
        let hide = if self.hide_tenant { "true" } else { "false" };
        html.push_str(&format!(
            "<input type=\"hidden\" name=\"hideTenant\" value=\"{hide}\">\n"
        ));
        if !self.hide_tenant {
            html.push_str(&format!(
                "<input type=\"text\" name=\"tenant\" value=\"{}\">\n",
                escape(&self.tenant)
            ));
        }
        html.push_str(&format!(
            "<input type=\"text\" name=\"username\" value=\"{}\">\n",
            escape(&self.username)
        ));
        html.push_str("<input type=\"password\" name=\"password\" value=\"\">\n");
        html.push_str("<button type=\"submit\">Sign in</button>\n</form>\n</body>\n</html>\n");
        let mut response = (StatusCode::OK, html).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        no_store(response)
    }
}
