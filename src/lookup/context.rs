//! The lookups: a request's login context, and the organizations an email's domain
//! belongs to (docs/design.md#the-public-login-api).

use portico_rules::flow::context_for_screen;
use portico_rules::{AuthorizeRequest, DiscoveredOrganization, LoginContext};

use super::error::LookupError;
use super::http::get_json;
use super::json::{decode_context, organizations, JsonObject};

/// The context for `req`, for `organization` when given. An organization that is
/// unknown, disabled or has no visible connection comes back as a context whose
/// `organization` is `None` (a second request, only on that path), so the flow table
/// can still apply the client's rules.
pub async fn login_context(
    req: &AuthorizeRequest,
    organization: Option<&str>,
) -> Result<LoginContext, LookupError> {
    context_for_screen(organization, |org| organization_context(req, org))
        .await?
        .ok_or(LookupError::Malformed)
}

/// The context for `req` with `organization`; `Ok(None)` when that organization is
/// not one the user can log in to.
pub async fn organization_context(
    req: &AuthorizeRequest,
    organization: Option<&str>,
) -> Result<Option<LoginContext>, LookupError> {
    let params: Vec<(&str, &str)> = [
        Some(("client_id", req.client_id().unwrap_or_default())),
        req.redirect_uri().map(|uri| ("redirect_uri", uri)),
        organization.map(|org| ("organization", org)),
        // A hidden connection is in the context only when the request names it.
        organization
            .and(req.connection())
            .map(|c| ("connection", c)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (status, body) = get_json("/login/context", &params).await?;
    let body = JsonObject(body);
    match status {
        200 => decode_context(&body).map(Some),
        404 if body.opt_str("errorCode")?.as_deref() == Some("inexistent_client") => {
            Err(LookupError::UnknownClient)
        }
        404 if organization.is_some() => Ok(None),
        404 => Err(LookupError::UnknownClient),
        other => Err(LookupError::Server(other)),
    }
}

/// Organizations whose connections claim the domain of `email`.
pub async fn discover(
    client_id: &str,
    email: &str,
) -> Result<Vec<DiscoveredOrganization>, LookupError> {
    let params = [("client_id", client_id), ("email", email)];
    let (status, body) = get_json("/login/discover", &params).await?;
    if status != 200 {
        return Err(LookupError::Server(status));
    }
    organizations(&JsonObject(body))
}
