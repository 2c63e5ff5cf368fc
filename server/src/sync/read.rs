//! Reading a source's directory through its Management API, in the shapes Auth0
//! documents: organizations and connections by checkpoint (`from`/`take`, answered
//! `{organizations|connections, next}`), clients by offset with `fields` and
//! `include_totals`, each organization's enabled connections by offset
//! (`{enabled_connections, start, limit, total}`), several organizations at a time.
//! Every record goes through the same parser as a Management API write here, so a
//! synced directory follows the same rules as one written by hand; what Portico does
//! not use is left behind (a connection's options keep only `icon_url` and
//! `domain_aliases` — never the source's secrets).

use std::collections::HashMap;
use std::sync::Arc;

use portico_rules::directory::{check_signup, MAX_ENABLED_CONNECTIONS};
use serde_json::{Map, Value};
use tokio::task::JoinSet;

use super::client::Client;
use super::outcome::{Progress, SyncError};
use crate::api::Input;
use crate::error::ApiError;
use crate::records::{
    Client as ClientRecord, ClientInput, Connection, ConnectionInput, Directory, EnabledRow,
    Organization, OrganizationInput,
};

const PAGE: usize = 100;
const CLIENT_FIELDS: &str = "client_id,name,description,logo_uri,app_type,callbacks,organization_usage,organization_require_behavior,organization_discovery_methods,global";
const CONNECTION_OPTIONS: &[&str] = &["icon_url", "domain_aliases"];

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The fields of `v` named in `keys`, nulls left out (a create's absent field).
fn pick(v: &Value, keys: &[&str]) -> Vec<u8> {
    let map: Map<String, Value> = keys
        .iter()
        .filter_map(|k| {
            v.get(*k)
                .filter(|x| !x.is_null())
                .map(|x| ((*k).to_owned(), x.clone()))
        })
        .collect();
    serde_json::to_vec(&map).unwrap_or_default()
}

fn rejected(what: &str, e: ApiError) -> SyncError {
    let body = e.body();
    let message = body["message"].as_str().unwrap_or("invalid");
    SyncError(format!("{what} does not follow Portico's rules: {message}"))
}

fn items(v: &Value, key: &str, what: &str) -> Result<Vec<Value>, SyncError> {
    match v.get(key).or(Some(v)).and_then(Value::as_array) {
        Some(a) => Ok(a.clone()),
        None => Err(SyncError(format!(
            "{what}: the answer has no \"{key}\" list"
        ))),
    }
}

/// Every page of a checkpoint list.
async fn checkpoint_pages(
    client: &Client,
    path: &str,
    key: &str,
    progress: &Progress,
) -> Result<Vec<Value>, SyncError> {
    let mut out = Vec::new();
    let mut from = String::new();
    loop {
        let q = if from.is_empty() {
            format!("{path}?take={PAGE}")
        } else {
            format!("{path}?take={PAGE}&from={}", urlencode(&from))
        };
        let page = client.get(&q).await?;
        let list = items(&page, key, path)?;
        let n = list.len();
        out.extend(list);
        progress.count(key, out.len());
        match page.get("next").and_then(Value::as_str) {
            Some(next) if !next.is_empty() && n > 0 && next != from => from = next.to_owned(),
            _ => return Ok(out),
        }
    }
}

/// Every page of an offset list with `include_totals`.
async fn offset_pages(
    client: &Client,
    path: &str,
    extra: &str,
    key: &str,
) -> Result<Vec<Value>, SyncError> {
    let mut out = Vec::new();
    for page in 0.. {
        let q = format!("{path}?page={page}&per_page={PAGE}&include_totals=true{extra}");
        let v = client.get(&q).await?;
        let list = items(&v, key, path)?;
        let n = list.len();
        out.extend(list);
        let total = v.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
        if n < PAGE || out.len() >= total {
            break;
        }
    }
    Ok(out)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn organization(v: &Value) -> Result<Organization, SyncError> {
    let id = text(v, "id").ok_or_else(|| SyncError("an organization without an id".into()))?;
    let what = format!("organization {id}");
    let input = OrganizationInput::parse(
        &pick(v, &["name", "display_name", "branding", "metadata"]),
        true,
    )
    .map_err(|e| rejected(&what, e))?;
    Ok(Organization::from_input(id, input))
}

fn connection(v: &Value) -> Result<Connection, SyncError> {
    let id = text(v, "id").ok_or_else(|| SyncError("a connection without an id".into()))?;
    let what = format!("connection {id}");
    let mut v = v.clone();
    if let Some(Value::Object(options)) = v.get_mut("options") {
        options.retain(|k, _| CONNECTION_OPTIONS.contains(&k.as_str()));
    }
    let keys = [
        "name",
        "display_name",
        "strategy",
        "options",
        "enabled_clients",
        "is_domain_connection",
    ];
    let input = ConnectionInput::parse(&pick(&v, &keys), true).map_err(|e| rejected(&what, e))?;
    Ok(Connection::from_input(id, input))
}

fn client_record(v: &Value) -> Result<Option<ClientRecord>, SyncError> {
    if v.get("global").and_then(Value::as_bool) == Some(true) {
        return Ok(None); // Auth0's "All Applications" settings record, not an application.
    }
    let id =
        text(v, "client_id").ok_or_else(|| SyncError("a client without a client_id".into()))?;
    let what = format!("client {id}");
    let keys: Vec<&str> = CLIENT_FIELDS
        .split(',')
        .filter(|k| *k != "client_id" && *k != "global")
        .collect();
    let input = ClientInput::parse(&pick(v, &keys), true).map_err(|e| rejected(&what, e))?;
    Ok(Some(ClientRecord::from_input(id, input)))
}

fn enabled_rows(
    org_id: &str,
    list: Vec<Value>,
    strategies: &HashMap<String, String>,
) -> Result<Vec<EnabledRow>, SyncError> {
    if list.len() > MAX_ENABLED_CONNECTIONS {
        return Err(SyncError(format!(
            "organization {org_id} has {} enabled connections; Portico allows {MAX_ENABLED_CONNECTIONS}",
            list.len()
        )));
    }
    list.iter()
        .map(|e| {
            let connection_id = text(e, "connection_id")
                .ok_or_else(|| SyncError(format!("organization {org_id}: an enabled connection without connection_id")))?;
            let strategy = strategies.get(&connection_id).ok_or_else(|| {
                SyncError(format!("organization {org_id} enables {connection_id}, which the source's connections list does not have"))
            })?;
            let flag = |k: &str, default: bool| e.get(k).and_then(Value::as_bool).unwrap_or(default);
            let row = EnabledRow {
                organization_id: org_id.to_owned(),
                assign_membership_on_login: flag("assign_membership_on_login", false),
                show_as_button: flag("show_as_button", true),
                is_signup_enabled: flag("is_signup_enabled", false),
                connection_id,
            };
            check_signup(strategy, row.assign_membership_on_login, row.is_signup_enabled).map_err(|rule| {
                SyncError(format!("organization {org_id}, connection {}: {}", row.connection_id, rule.message()))
            })?;
            Ok(row)
        })
        .collect()
}

/// The source's whole directory, validated.
pub async fn directory(
    client: Arc<Client>,
    concurrency: usize,
    progress: &Progress,
) -> Result<Directory, SyncError> {
    let organizations: Vec<Organization> =
        checkpoint_pages(&client, "/api/v2/organizations", "organizations", progress)
            .await?
            .iter()
            .map(organization)
            .collect::<Result<_, _>>()?;
    let connections: Vec<Connection> =
        checkpoint_pages(&client, "/api/v2/connections", "connections", progress)
            .await?
            .iter()
            .map(connection)
            .collect::<Result<_, _>>()?;
    let extra = format!("&fields={}&include_fields=true", urlencode(CLIENT_FIELDS));
    let mut clients = Vec::new();
    for v in offset_pages(&client, "/api/v2/clients", &extra, "clients").await? {
        clients.extend(client_record(&v)?);
    }
    progress.count("clients", clients.len());
    let strategies: Arc<HashMap<String, String>> = Arc::new(
        connections
            .iter()
            .map(|c| (c.id.clone(), c.strategy.clone()))
            .collect(),
    );

    // Each organization's enabled connections, `concurrency` requests at a time, kept
    // in the organizations' order.
    let mut per_org: Vec<Option<Vec<EnabledRow>>> = vec![None; organizations.len()];
    let mut tasks = JoinSet::new();
    let mut next = 0;
    let mut done = 0;
    while done < organizations.len() {
        while next < organizations.len() && tasks.len() < concurrency.max(1) {
            let (i, id) = (next, organizations[next].id.clone());
            let (client, strategies) = (client.clone(), strategies.clone());
            tasks.spawn(async move {
                let path = format!(
                    "/api/v2/organizations/{}/enabled_connections",
                    urlencode(&id)
                );
                let list = offset_pages(&client, &path, "", "enabled_connections").await?;
                Ok::<_, SyncError>((i, enabled_rows(&id, list, &strategies)?))
            });
            next += 1;
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        let (i, rows) = joined.map_err(|e| SyncError(format!("a read task failed: {e}")))??;
        per_org[i] = Some(rows);
        done += 1;
        if done % 1000 == 0 || done == organizations.len() {
            progress.count("organizations' enabled connections", done);
        }
    }
    let enabled = per_org.into_iter().flatten().flatten().collect();
    Ok(Directory {
        organizations,
        connections,
        clients,
        enabled,
    })
}
