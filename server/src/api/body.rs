//! Reading JSON request bodies field by field, so every error names its field and
//! rule in Auth0's words, and unknown fields are rejected rather than ignored. The
//! `Create<T>` and `Update<T>` extractors hand a handler its validated input.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use portico_rules::url::ImageUrls;
use serde_json::{Map, Value};

pub use crate::error::invalid;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A request body a resource reads: which fields a create and an update may carry,
/// and how they become the input the store takes.
pub trait Input: Sized {
    const CREATE: &'static [&'static str];
    const UPDATE: &'static [&'static str];

    /// Reads the fields of a body that holds only allowed ones.
    fn read(body: Body, creating: bool) -> ApiResult<Self>;

    /// Parses a whole body: JSON, an object, only allowed fields, each field's rule;
    /// image URLs `https://` only.
    fn parse(bytes: &[u8], creating: bool) -> ApiResult<Self> {
        Self::parse_with(bytes, creating, ImageUrls::HttpsOnly)
    }

    /// `parse`, with image URLs as `images` allows (the demo's are loopback http).
    fn parse_with(bytes: &[u8], creating: bool, images: ImageUrls) -> ApiResult<Self> {
        let allowed = if creating { Self::CREATE } else { Self::UPDATE };
        let mut body = Body::parse(bytes, allowed)?;
        body.images = images;
        Self::read(body, creating)
    }
}

/// The validated body of a create.
pub struct Create<T>(pub T);
/// The validated body of an update.
pub struct Update<T>(pub T);

async fn read_input<T: Input>(req: Request, state: &AppState, creating: bool) -> ApiResult<T> {
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(|_| ApiError::invalid_body("Payload validation error: 'Invalid JSON'."))?;
    T::parse_with(&bytes, creating, state.config.image_urls())
}

impl<T: Input> FromRequest<AppState> for Create<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> ApiResult<Self> {
        read_input(req, state, true).await.map(Create)
    }
}

impl<T: Input> FromRequest<AppState> for Update<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> ApiResult<Self> {
        read_input(req, state, false).await.map(Update)
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn wrong_type(field: &str, expected: &str, v: &Value) -> ApiError {
    invalid(
        field,
        &format!("Expected type {expected} but found type {}", type_name(v)),
    )
}

/// A JSON object body whose fields are taken one by one.
pub struct Body {
    fields: Map<String, Value>,
    /// Which image URLs its fields may hold.
    images: ImageUrls,
}

impl Body {
    /// Parses `bytes` as a JSON object holding only `allowed` fields.
    pub fn parse(bytes: &[u8], allowed: &[&str]) -> ApiResult<Body> {
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|_| ApiError::invalid_body("Payload validation error: 'Invalid JSON'."))?;
        let Value::Object(fields) = value else {
            return Err(ApiError::invalid_body(format!(
                "Payload validation error: 'Expected type object but found type {}'.",
                type_name(&value)
            )));
        };
        let unknown: Vec<&str> = fields
            .keys()
            .map(String::as_str)
            .filter(|k| !allowed.contains(k))
            .collect();
        if !unknown.is_empty() {
            return Err(ApiError::invalid_body(format!(
                "Payload validation error: 'Additional properties not allowed: {}'.",
                unknown.join(",")
            )));
        }
        Ok(Body {
            fields,
            images: ImageUrls::HttpsOnly,
        })
    }

    /// Which image URLs this body's fields may hold (`Input::parse_with`).
    pub fn images(&self) -> ImageUrls {
        self.images
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.fields
    }

    /// The raw value of `field`, if present (null included).
    pub fn take(&mut self, field: &str) -> Option<Value> {
        self.fields.remove(field)
    }

    /// A string field: absent → `None`; present but not a string → error.
    pub fn string(&mut self, field: &str) -> ApiResult<Option<String>> {
        self.take(field).map(|v| as_string(field, v)).transpose()
    }

    /// A string field that may be `null` (to clear it on update):
    /// absent → `None`, null → `Some(None)`.
    pub fn nullable_string(&mut self, field: &str) -> ApiResult<Option<Option<String>>> {
        match self.take(field) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(v) => as_string(field, v).map(|s| Some(Some(s))),
        }
    }

    pub fn required_string(&mut self, field: &str) -> ApiResult<String> {
        self.string(field)?
            .ok_or_else(|| invalid(field, &format!("Missing required property: {field}")))
    }

    pub fn bool(&mut self, field: &str) -> ApiResult<Option<bool>> {
        self.take(field).map(|v| as_bool(field, v)).transpose()
    }

    pub fn string_array(&mut self, field: &str) -> ApiResult<Option<Vec<String>>> {
        self.take(field)
            .map(|v| as_string_array(field, v))
            .transpose()
    }
}

pub fn as_string(field: &str, v: Value) -> ApiResult<String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(wrong_type(field, "string", &other)),
    }
}

pub fn as_bool(field: &str, v: Value) -> ApiResult<bool> {
    match v {
        Value::Bool(b) => Ok(b),
        other => Err(wrong_type(field, "boolean", &other)),
    }
}

pub fn as_object(field: &str, v: Value) -> ApiResult<Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(wrong_type(field, "object", &other)),
    }
}

pub fn as_array(field: &str, v: Value) -> ApiResult<Vec<Value>> {
    match v {
        Value::Array(a) => Ok(a),
        other => Err(wrong_type(field, "array", &other)),
    }
}

pub fn as_string_array(field: &str, v: Value) -> ApiResult<Vec<String>> {
    as_array(field, v)?
        .into_iter()
        .enumerate()
        .map(|(i, item)| as_string(&format!("{field}[{i}]"), item))
        .collect()
}

/// Checks that an object holds only `allowed` keys.
pub fn only_fields(field: &str, map: &Map<String, Value>, allowed: &[&str]) -> ApiResult<()> {
    let unknown: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed.contains(k))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(invalid(
            field,
            &format!("Additional properties not allowed: {}", unknown.join(",")),
        ))
    }
}
