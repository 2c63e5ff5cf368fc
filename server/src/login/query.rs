//! Reading the public endpoints' queries: only known parameters, empty ones absent.

use portico_rules::url::parse_query;

use crate::error::{ApiError, ApiResult};

/// The query's parameters, none but `allowed`.
pub fn query_params(query: Option<String>, allowed: &[&str]) -> ApiResult<Vec<(String, String)>> {
    let params = parse_query(query.as_deref().unwrap_or(""));
    if let Some((k, _)) = params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(ApiError::invalid_query(format!(
            "Query validation error: 'Additional properties not allowed: {k}'."
        )));
    }
    Ok(params)
}

pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

pub fn required<'a>(params: &'a [(String, String)], name: &str) -> ApiResult<&'a str> {
    param(params, name).ok_or_else(|| {
        ApiError::invalid_query(format!(
            "Query validation error: 'Missing required property: {name}'."
        ))
    })
}
