// A stand-in Auth0 tenant for tests: a third party Portico syncs from, written from
// Auth0's published Management API shapes, not from Portico's code.
//
// - POST /oauth/token: the client-credentials grant (JSON or form body); checks the
//   machine-to-machine application's credentials and that the audience is this
//   tenant's Management API (`{base}/api/v2/`); issues an opaque token with that
//   application's scopes.
// - GET /api/v2/organizations and /api/v2/connections: checkpoint paging (`from`,
//   `take` → `{organizations|connections, next}`) and offset paging (`page`,
//   `per_page`, `include_totals` → `{…, start, limit, total}`, at most 1000 deep).
// - GET /api/v2/organizations/{id}/enabled_connections: offset paging
//   (`{enabled_connections, start, limit, total}`).
// - GET /api/v2/clients: checkpoint paging (`from`, `take` → `{clients, next}`, by
//   client_id; the Management API documents both kinds for /clients) and offset
//   paging, with `fields`/`include_fields`; the tenant's "All Applications" record
//   (`global: true`) is listed as Auth0 lists it. `clientsByCheckpoint = false` turns
//   its checkpoints off (a source that offers only offsets).
// - Scopes enforced (`read:organizations`, `read:organization_connections`,
//   `read:connections`, `read:clients`), 401/403 in Auth0's error shape.
// - Switches: a rate limit (429 with X-RateLimit-* headers), the next N requests
//   failing with a status, failing everything after N requests, hanging requests, and
//   the whole tenant going down and coming back.
// - Misbehaviour, to prove a sync copies the whole source or nothing
//   (`misbehave`): offset lists without `total` (bare arrays), checkpoints that
//   cycle (A → B → A), a `307` from /oauth/token to another address, and an answer of
//   `hugeBody` bytes.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function auth0Id(prefix) {
  const bytes = randomBytes(16);
  return prefix + Array.from(bytes, (b) => alnum[b % alnum.length]).join('');
}

const SCOPES = ['read:organizations', 'read:organization_connections', 'read:connections', 'read:clients'];

export class Auth0Tenant {
  constructor() {
    this.organizations = new Map();
    this.connections = new Map();
    this.clients = new Map();
    this.enabled = new Map(); // organization id → [{ connection_id, … }]
    this.m2m = { client_id: auth0Id(''), client_secret: randomBytes(24).toString('base64url'), scopes: [...SCOPES] };
    this.tokens = new Map();
    this.log = []; // every request: { method, path, status }
    this.rateLimit = null; // requests per second, or null
    this.window = { second: 0, count: 0 };
    this.rejected = 0;
    this.failNext = [];
    this.failAfter = null;
    this.hang = null; // a predicate on the path
    this.hanging = [];
    this.clientsByCheckpoint = true;
    this.misbehave = { noTotals: false, checkpointCycle: false, tokenRedirect: null, hugeBody: null };
    this.clients.set('global', { client_id: auth0Id(''), name: 'All Applications', global: true, callbacks: [] });
  }

  // ---- the tenant's data, as its dashboard would change it ------------------------

  createConnection(c) {
    const conn = { id: auth0Id('con_'), display_name: c.name, options: {}, enabled_clients: [], is_domain_connection: false, ...c };
    conn.realms = [conn.name];
    this.connections.set(conn.id, conn);
    return conn;
  }

  createOrganization(o, enabled = []) {
    const org = { id: auth0Id('org_'), ...o };
    this.organizations.set(org.id, org);
    this.enabled.set(org.id, []);
    for (const e of enabled) this.enable(org.id, e);
    return org;
  }

  enable(orgId, { connection_id, assign_membership_on_login = false, show_as_button = true, is_signup_enabled = false }) {
    const c = this.connections.get(connection_id);
    this.enabled.get(orgId).push({ connection_id, assign_membership_on_login, show_as_button, is_signup_enabled, connection: { name: c.name, strategy: c.strategy } });
  }

  createClient(c) {
    const client = { client_id: auth0Id(''), app_type: 'spa', callbacks: [], organization_usage: 'deny', organization_require_behavior: 'no_prompt', ...c,
      // Fields Portico does not read, as Auth0 returns them.
      client_secret: randomBytes(24).toString('base64url'), jwt_configuration: { alg: 'RS256' }, grant_types: ['authorization_code'] };
    this.clients.set(client.client_id, client);
    return client;
  }

  deleteOrganization(id) {
    this.organizations.delete(id);
    this.enabled.delete(id);
  }

  // ---- the HTTP side -----------------------------------------------------------------

  async listen() {
    this.sockets = new Set();
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise((r) => this.server.listen(this.port ?? 0, '127.0.0.1', r));
    this.port = this.server.address().port;
    this.base = `http://127.0.0.1:${this.port}`;
    return this;
  }

  /** Stops answering: every connection is cut and the port closed, until `listen()`. */
  async down() {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  close() {
    for (const s of this.sockets ?? []) s.destroy();
    this.server?.close();
  }

  requests(prefix = '/api/v2') {
    return this.log.filter((r) => r.path.startsWith(prefix));
  }

  send(res, status, body, headers = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
    return status;
  }

  error(res, status, message, errorCode, headers) {
    const error = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' }[status];
    return this.send(res, status, { statusCode: status, error, message, ...(errorCode ? { errorCode } : {}) }, headers);
  }

  handle(req, res) {
    const url = new URL(req.url, this.base);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = this.route(req, res, url, body);
      this.log.push({ method: req.method, path: url.pathname, query: url.search, status });
    });
  }

  route(req, res, url, body) {
    if (this.hang?.(url.pathname)) {
      this.hanging.push(res);
      return 'hung';
    }
    if (this.failNext.length) return this.error(res, this.failNext.shift(), 'Injected failure');
    if (this.failAfter !== null) {
      if (this.failAfter <= 0) return this.error(res, 500, 'Injected failure');
      this.failAfter--;
    }
    if (this.rateLimit) {
      const second = Math.floor(Date.now() / 1000);
      if (this.window.second !== second) this.window = { second, count: 0 };
      if (this.window.count >= this.rateLimit) {
        this.rejected++;
        return this.error(res, 429, 'Global limit has been reached', 'too_many_requests', {
          'x-ratelimit-limit': String(this.rateLimit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(second + 1),
        });
      }
      this.window.count++;
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      if (this.misbehave.tokenRedirect) {
        res.writeHead(307, { location: this.misbehave.tokenRedirect });
        res.end();
        return 307;
      }
      return this.token(res, req, body);
    }
    if (req.method !== 'GET' || !url.pathname.startsWith('/api/v2/')) return this.error(res, 404, 'Not Found');
    const token = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!token || token.expires < Date.now()) return this.error(res, 401, 'Invalid token');
    const q = url.searchParams;
    if (this.misbehave.hugeBody) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"organizations":["${'x'.repeat(this.misbehave.hugeBody)}"]}`);
      return 200;
    }
    const need = (scope) => token.scopes.includes(scope);
    const forbidden = (scope) => this.error(res, 403, `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope');
    let m;
    if (url.pathname === '/api/v2/organizations') {
      if (!need('read:organizations')) return forbidden('read:organizations');
      return this.list(res, q, 'organizations', [...this.organizations.values()], (o) => o.id, true);
    }
    if ((m = url.pathname.match(/^\/api\/v2\/organizations\/([^/]+)\/enabled_connections$/))) {
      if (!need('read:organization_connections')) return forbidden('read:organization_connections');
      const list = this.enabled.get(decodeURIComponent(m[1]));
      if (!list) return this.error(res, 404, 'No organization found by that id or name');
      return this.list(res, q, 'enabled_connections', list, null, false);
    }
    if (url.pathname === '/api/v2/connections') {
      if (!need('read:connections')) return forbidden('read:connections');
      return this.list(res, q, 'connections', [...this.connections.values()], (c) => c.id, true);
    }
    if (url.pathname === '/api/v2/clients') {
      if (!need('read:clients')) return forbidden('read:clients');
      let clients = [...this.clients.values()];
      const fields = q.get('fields')?.split(',');
      if (fields) {
        const include = q.get('include_fields') !== 'false';
        clients = clients.map((c) => Object.fromEntries(Object.entries(c).filter(([k]) => fields.includes(k) === include)));
      }
      return this.list(res, q, 'clients', clients, (c) => c.client_id, this.clientsByCheckpoint);
    }
    return this.error(res, 404, 'Not Found');
  }

  token(res, req, body) {
    const form = (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(body || '{}') : Object.fromEntries(new URLSearchParams(body));
    if (form.grant_type !== 'client_credentials') return this.send(res, 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' });
    if (form.client_id !== this.m2m.client_id || form.client_secret !== this.m2m.client_secret) {
      return this.send(res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
    }
    if (form.audience !== `${this.base}/api/v2/`) {
      return this.send(res, 403, { error: 'access_denied', error_description: `Service not found: ${form.audience}` });
    }
    const access_token = randomBytes(24).toString('base64url');
    this.tokens.set(access_token, { scopes: this.m2m.scopes, expires: Date.now() + 86400e3 });
    return this.send(res, 200, { access_token, scope: this.m2m.scopes.join(' '), expires_in: 86400, token_type: 'Bearer' });
  }

  list(res, q, key, all, idOf, checkpoint) {
    const int = (name, dflt) => (q.has(name) ? Number(q.get(name)) : dflt);
    if (checkpoint && (q.has('from') || q.has('take'))) {
      const take = int('take', 50);
      if (!(take >= 1 && take <= 100)) return this.error(res, 400, "Query validation error: 'Must be between 1 and 100' on property take.", 'invalid_query_string');
      const sorted = [...all].sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
      const from = q.get('from') ?? '';
      const rest = sorted.filter((x) => idOf(x) > from);
      const page = rest.slice(0, take);
      if (this.misbehave.checkpointCycle && sorted.length > 2 * take) {
        // `next` goes A → B → A → …: the list never ends.
        const [a, b] = [idOf(sorted[take - 1]), idOf(sorted[2 * take - 1])];
        return this.send(res, 200, { [key]: page, next: from === a ? b : a });
      }
      return this.send(res, 200, rest.length > take ? { [key]: page, next: idOf(page.at(-1)) } : { [key]: page });
    }
    const page = int('page', 0);
    const perPage = int('per_page', 50);
    if (!(perPage >= 1 && perPage <= 100)) return this.error(res, 400, "Query validation error: 'Must be between 1 and 100' on property per_page.", 'invalid_query_string');
    if ((page + 1) * perPage > 1000) return this.error(res, 400, 'Requesting page exceeds the allowed maximum of 1000 records', 'invalid_paging');
    const items = all.slice(page * perPage, (page + 1) * perPage);
    if (this.misbehave.noTotals) return this.send(res, 200, items);
    if (q.get('include_totals') === 'true') return this.send(res, 200, { [key]: items, start: page * perPage, limit: perPage, total: all.length });
    return this.send(res, 200, items);
  }
}

/** A tenant shaped like the one the end-to-end chain logs in to: two organizations, three connections, an SPA. */
export function seedTenant(tenant, { callback = 'https://app.example.com/callback', callbacks = [callback] } = {}) {
  const db = tenant.createConnection({ name: 'Username-Password-Authentication', display_name: 'Email and password', strategy: 'auth0' });
  const okta = tenant.createConnection({ name: 'acme-okta', display_name: 'Acme Okta', strategy: 'okta', options: { domain_aliases: ['acme.test'], client_secret: 'never-synced', domain: 'acme.okta.example' } });
  const google = tenant.createConnection({ name: 'google-oauth2', display_name: 'Google', strategy: 'google-oauth2' });
  const hidden = tenant.createConnection({ name: 'acme-contractors', display_name: 'Acme contractors', strategy: 'samlp' });
  const acme = tenant.createOrganization(
    { name: 'acme', display_name: 'Acme Corporation', branding: { logo_url: 'https://acme.example/logo.png', colors: { primary: '#0059d6', page_background: '#f4f7fb' } } },
    [{ connection_id: okta.id }, { connection_id: db.id, assign_membership_on_login: true }, { connection_id: hidden.id, show_as_button: false }],
  );
  const globex = tenant.createOrganization({ name: 'globex', display_name: 'Globex' }, [{ connection_id: google.id }]);
  const app = tenant.createClient({
    name: 'Acme SPA', callbacks, organization_usage: 'require', organization_require_behavior: 'pre_login_prompt',
    organization_discovery_methods: ['organization_name', 'email'],
  });
  return { db, okta, google, hidden, acme, globex, app };
}
