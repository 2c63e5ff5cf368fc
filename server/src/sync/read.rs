//! Reading a source's directory through its Management API, in the shapes Auth0
//! documents: organizations, connections and clients by checkpoint (`from`/`take`,
//! answered `{organizations|connections|clients, next}`; clients with `fields`), each
//! organization's enabled connections by offset (`{enabled_connections, start,
//! limit, total}`), several organizations at a time.
//!
//! A sync copies the whole source or nothing, so a list is read whole or the sync
//! fails: an offset list must announce its `total` and deliver exactly that many; a
//! checkpoint that comes back (`next` A → B → A) is a loop; and the records of a sync
//! are counted against `--sync-max-records`. A source whose `/clients` offers no
//! checkpoints (a bare array for `take`) is read by offset, which Auth0 stops at 1,000
//! records: more clients than that fail the sync rather than cut the list.
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

/// Every page of a checkpoint list, starting from `first` (the first page, when the
/// caller has already read it).
async fn checkpoint_pages(
    client: &Client,
    path: &str,
    extra: &str,
    key: &str,
    progress: &Progress,
    first: Option<Value>,
) -> Result<Vec<Value>, SyncError> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut from = String::new();
    let mut page = first;
    loop {
        let v = match page.take() {
            Some(v) => v,
            None if from.is_empty() => client.get(&format!("{path}?take={PAGE}{extra}")).await?,
            None => {
                let q = format!("{path}?take={PAGE}&from={}{extra}", urlencode(&from));
                client.get(&q).await?
            }
        };
        let list = items(&v, key, path)?;
        let n = list.len();
        client.count_records(n)?;
        out.extend(list);
        progress.count(key, out.len());
        match v.get("next").and_then(Value::as_str) {
            Some(next) if !next.is_empty() && n > 0 => {
                if !seen.insert(next.to_owned()) {
                    return Err(SyncError(format!(
                        "{path}: the checkpoint {next:?} came back after {} records; the source's paging loops",
                        out.len()
                    )));
                }
                from = next.to_owned();
            }
            _ => return Ok(out),
        }
    }
}

/// Every page of an offset list with `include_totals`: the source must say how many
/// there are (`total`) and deliver exactly that many, or the list is not known whole.
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
        let Some(total) = v.get("total").and_then(Value::as_u64) else {
            return Err(SyncError(format!(
                "{path}: the answer has no \"total\" (include_totals=true), so a page that ends the list cannot be told from one that cuts it"
            )));
        };
        let total = total as usize;
        let list = items(&v, key, path)?;
        let n = list.len();
        client.count_records(n)?;
        out.extend(list);
        if n == 0 || out.len() >= total {
            if out.len() != total {
                return Err(SyncError(format!(
                    "{path}: the source announced {total} records and sent {}",
                    out.len()
                )));
            }
            break;
        }
        if (page + 2) * PAGE > OFFSET_DEPTH && total > out.len() {
            return Err(SyncError(format!(
                "{path}: the source has {total} records, and offset paging reads at most {OFFSET_DEPTH} (it offers no checkpoint paging here)"
            )));
        }
    }
    Ok(out)
}

/// How deep offset paging goes (Auth0: `page * per_page + per_page ≤ 1000`).
const OFFSET_DEPTH: usize = 1000;

/// The source's clients: by checkpoint where it offers them (Auth0's `/clients` does,
/// as Portico's), else by offset, which stops at 1,000.
async fn clients(client: &Client, progress: &Progress) -> Result<Vec<Value>, SyncError> {
    let path = "/api/v2/clients";
    let extra = format!("&fields={}&include_fields=true", urlencode(CLIENT_FIELDS));
    let first = client.get(&format!("{path}?take={PAGE}{extra}")).await?;
    if first.get("clients").is_some_and(Value::is_array) {
        return checkpoint_pages(client, path, &extra, "clients", progress, Some(first)).await;
    }
    // No checkpoints: what came was a page by offset (a bare array); read them so.
    offset_pages(client, path, &extra, "clients").await
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
        "show_as_button",
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
    let organizations: Vec<Organization> = checkpoint_pages(
        &client,
        "/api/v2/organizations",
        "",
        "organizations",
        progress,
        None,
    )
    .await?
    .iter()
    .map(organization)
    .collect::<Result<_, _>>()?;
    let connections: Vec<Connection> = checkpoint_pages(
        &client,
        "/api/v2/connections",
        "",
        "connections",
        progress,
        None,
    )
    .await?
    .iter()
    .map(connection)
    .collect::<Result<_, _>>()?;
    let mut clients_read = Vec::new();
    for v in clients(&client, progress).await? {
        clients_read.extend(client_record(&v)?);
    }
    let clients = clients_read;
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
