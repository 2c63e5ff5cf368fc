//! Reading the public endpoints' queries: within the bounds every public query has
//! (`rules::query`), only known parameters, empty ones absent.

use portico_rules::query;

use crate::error::{ApiError, ApiResult};

/// The query's parameters, none but `allowed`; a query over its bounds is refused
/// (`400`/`414 invalid_query_string`) before anything else is read.
pub fn query_params(query: Option<String>, allowed: &[&str]) -> ApiResult<Vec<(String, String)>> {
    let params = query::read(query.as_deref().unwrap_or("")).map_err(ApiError::over_bound)?;
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
