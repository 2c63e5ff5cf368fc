//! List paging as Auth0 does it: `page`/`per_page` (≤ 100, default 50, at most 1000
//! records deep) with `include_totals`, or checkpoints `from`/`take` where a list
//! offers them.

use std::future::Future;

use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_rules::query;
use serde::Serialize;
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::store::StoreResult;

const MAX_PER_PAGE: i64 = 100;
const DEFAULT_PER_PAGE: i64 = 50;
const MAX_PAGED_RECORDS: i64 = 1000;

/// A page by offset.
#[derive(Clone, Copy, Debug)]
pub struct Offset {
    pub page: i64,
    pub per_page: i64,
    pub include_totals: bool,
}

impl Offset {
    pub fn offset(self) -> i64 {
        self.page * self.per_page
    }
}

/// How a list was asked for.
pub enum Paging {
    Offset(Offset),
    Checkpoint { from: Option<String>, take: i64 },
}

fn query_error(field: &str, rule: &str) -> ApiError {
    ApiError::invalid_query(format!(
        "Query validation error: '{rule}' on property {field}."
    ))
}

fn int_param(params: &[(String, String)], name: &str) -> ApiResult<Option<i64>> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| {
            v.parse::<i64>()
                .map_err(|_| query_error(name, "Expected type integer but found type string"))
        })
        .transpose()
}

/// Paging with checkpoints allowed (organizations, connections, clients).
pub fn paging(query: Option<String>) -> ApiResult<Paging> {
    read(query, true)
}

/// Offset paging only: page, per_page, include_totals.
pub fn offset_paging(query: Option<String>) -> ApiResult<Offset> {
    match read(query, false)? {
        Paging::Offset(o) => Ok(o),
        // `read` only returns checkpoints when they are allowed.
        Paging::Checkpoint { .. } => Err(ApiError::Internal),
    }
}

fn read(query: Option<String>, checkpoint_allowed: bool) -> ApiResult<Paging> {
    let params = query::read(query.as_deref().unwrap_or("")).map_err(ApiError::over_bound)?;
    let allowed: &[&str] = if checkpoint_allowed {
        &["page", "per_page", "include_totals", "from", "take"]
    } else {
        &["page", "per_page", "include_totals"]
    };
    if let Some((k, _)) = params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(ApiError::invalid_query(format!(
            "Query validation error: 'Additional properties not allowed: {k}'."
        )));
    }
    let from = params
        .iter()
        .find(|(k, _)| k == "from")
        .map(|(_, v)| v.clone());
    let take = int_param(&params, "take")?;
    if from.is_some() || take.is_some() {
        let take = take.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&take) {
            return Err(query_error("take", "Must be between 1 and 100"));
        }
        return Ok(Paging::Checkpoint {
            from: from.filter(|f| !f.is_empty()),
            take,
        });
    }
    let page = int_param(&params, "page")?.unwrap_or(0);
    let per_page = int_param(&params, "per_page")?.unwrap_or(DEFAULT_PER_PAGE);
    if page < 0 {
        return Err(query_error("page", "Value must be at least 0"));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(query_error("per_page", "Must be between 1 and 100"));
    }
    // Checked: `page` is whatever a client sent (up to i64::MAX).
    let deepest = page.checked_add(1).and_then(|p| p.checked_mul(per_page));
    if deepest.is_none_or(|records| records > MAX_PAGED_RECORDS) {
        return Err(ApiError::BadRequest {
            code: "invalid_paging",
            message: "Requesting page exceeds the allowed maximum of 1000 records".into(),
        });
    }
    let include_totals = match params
        .iter()
        .find(|(k, _)| k == "include_totals")
        .map(|(_, v)| v.as_str())
    {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(query_error(
                "include_totals",
                "Expected type boolean but found type string",
            ))
        }
    };
    Ok(Paging::Offset(Offset {
        page,
        per_page,
        include_totals,
    }))
}

/// A checkpoint page in Auth0's shape, `{key, next}`: `items` holds up to `take + 1`
/// records after the checkpoint, in id order; `next` is there when more follow.
pub fn checkpoint_list<T: Serialize>(
    key: &str,
    take: i64,
    mut items: Vec<T>,
    id: fn(&T) -> &str,
) -> ApiResult<Response> {
    let more = items.len() as i64 > take;
    items.truncate(take as usize);
    let mut out = json!({ key: items });
    if more {
        out["next"] = items.last().map(|i| id(i).to_owned()).into();
    }
    Ok(Json(out).into_response())
}

/// A list page in Auth0's shape: a bare array, or `{key, start, limit, total}`;
/// `total` is only counted when asked for.
pub async fn offset_list<T: Serialize>(
    key: &str,
    paging: Offset,
    items: Vec<T>,
    total: impl Future<Output = StoreResult<i64>>,
) -> ApiResult<Response> {
    if !paging.include_totals {
        return Ok(Json(items).into_response());
    }
    let total = total.await?;
    Ok(Json(json!({
        key: items,
        "start": paging.offset(),
        "limit": paging.per_page,
        "total": total,
    }))
    .into_response())
}
