// The one JavaScript harness of the tests and the benchmarks: `until` (the one poller),
// portico-server (release build) with the demo tenant and the release build of the
// page, its Management API (`startPortico(…).api`), a real OpenID provider (npm
// oidc-provider) standing where the authorization server would be, a tiny application
// callback that records what it receives, and headless Chromium. Everything listens on
// loopback ports chosen at random.
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const server = path.join(root, 'target/release/portico-server');
export const resultsDir = path.join(root, 'test-results/e2e');
mkdirSync(resultsDir, { recursive: true });

/**
 * Waits until `check()` (sync or async) gives something truthy, and returns it;
 * looks every `every` ms, and fails naming `what` after `timeout` ms. Every test and
 * benchmark that waits for something waits here.
 */
export async function until(check, { what = 'the condition', timeout = 10000, every = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * The Management API of the server at `base`, with `token`: `call(method, path, body)`
 * gives `{ status, body }` (the body parsed when it is JSON). The one helper every test
 * and benchmark writes the directory with.
 */
export function management(base, token) {
  return async (method, p, body) => {
    const r = await fetch(`${base}/api/v2${p}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text && r.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
}

export function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * The application's redirect_uri: records every response it receives, as a URL whose
 * search holds the response's fields — from the query, from a POSTed form
 * (`response_mode=form_post`, `via: 'form_post'`), or from the fragment, which its page
 * reports back (`response_mode=fragment`, `via: 'fragment'`).
 */
async function startCallback() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const received = [];
  const page = '<!doctype html><title>Application</title><h1>Back at the application</h1>'
    + "<script>if (location.hash.length > 1) fetch('/callback/fragment?' + location.hash.slice(1));</script>";
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, base);
    // The browser's own request for the application's icon is not a response.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404);
      return res.end();
    }
    if (url.pathname === '/callback/fragment') {
      received.push(Object.assign(new URL(`/callback${url.search}`, base), { via: 'fragment' }));
      res.writeHead(204);
      return res.end();
    }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.method === 'POST') received.push(Object.assign(new URL(`${url.pathname}?${body}`, base), { via: 'form_post' }));
      else received.push(url);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
    });
  });
  await new Promise((r) => srv.listen(port, '127.0.0.1', r));
  return { url: `${base}/callback`, received, close: () => srv.close() };
}

/** oidc-provider with the demo applications registered; records /auth requests. */
async function startProvider(callback) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clients = ['demo-require-prompt', 'demo-require-no-prompt', 'demo-allow', 'demo-deny'].map((client_id) => ({
    client_id,
    token_endpoint_auth_method: 'none',
    redirect_uris: [callback],
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }));
  const provider = new Provider(issuer, {
    clients,
    extraParams: ['organization', 'connection'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['portico-e2e-only'] },
  });
  const received = [];
  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth') received.push(new URLSearchParams(ctx.querystring));
    await next();
  });
  const srv = provider.listen(port, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  return { issuer, authorize: `${issuer}/auth`, received, close: () => srv.close() };
}

export async function waitForHealth(base) {
  const healthy = async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok;
  await until(healthy, { what: `portico-server at ${base} to become healthy`, every: 100 });
}

/** portico-server serve with the demo tenant. `authorize` null means /handoff. */
export async function startPortico({ authorize = null, callback = null, extraArgs = [], database = null, port = null, demo = true, env = {} } = {}) {
  port ??= await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-e2e-'));
  database ??= `sqlite://${path.join(dir, 'portico.db')}`;
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--database', database, '--dist', path.join(root, 'dist'),
    '--base-domain', 'login.test', ...(demo ? ['--demo'] : []), ...extraArgs];
  if (authorize) args.push('--authorize-url', authorize);
  const child = spawn(server, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORTICO_LOG: 'warn', ...env } });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base);
  const token = (scopes) => execFileSync(server, ['token', '--database', database, '--scopes', scopes]).toString().trim();
  /** One Management API call with a token for `scopes`: its status and its body (parsed when JSON). */
  const api = (method, p, { body, scopes }) => management(base, token(scopes))(method, p, body);
  /** An organization's id, by its name. */
  const orgId = async (name) => (await api('GET', `/organizations/name/${name}`, { scopes: 'read:organizations' })).body.id;
  if (callback) {
    // Register the test application's callback on every demo application.
    for (const id of ['demo-require-prompt', 'demo-require-no-prompt', 'demo-allow', 'demo-deny']) {
      const r = await api('PATCH', `/clients/${id}`, { body: { callbacks: [callback] }, scopes: 'update:clients' });
      if (r.status !== 200) throw new Error(`registering callback: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
  return { base, port, database, token, api, orgId, child, log: () => log, close: () => child.kill('SIGTERM') };
}

export async function startWorld({ withProvider = true } = {}) {
  const callback = await startCallback();
  const provider = withProvider ? await startProvider(callback.url) : null;
  const portico = await startPortico({ authorize: provider?.authorize, callback: callback.url });
  return {
    callback,
    provider,
    portico,
    close() {
      portico.close();
      provider?.close();
      callback.close();
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP *.login.test 127.0.0.1, MAP login.test 127.0.0.1'],
  });
}

/**
 * A new page that records every request and fails on CSP violations and page errors
 * (the demo serves its own logos).
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 720, height: 680 }, ...options });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), at: Date.now() }));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
    if (m.type() === 'error' && !/favicon|ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(text)) problems.push(`console error: ${text}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, requests, problems };
}

/**
 * Waits until the page's WebAssembly has started: it has hydrated the screen the
 * server rendered (Trunk's loader sets `wasmBindings` once `init` has run `main`).
 * Before that the screen works too, without a script (docs/design.md#first-paint); tests of what the
 * script does wait for it.
 */
export async function ready(page) {
  await page.waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 15000 });
}

/** What the test application sends, besides client_id and redirect_uri. */
export const SENT = {
  response_type: 'code',
  scope: 'openid profile email',
  state: 'st+/=%&ate-Ω',
  nonce: 'nonce-123',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
};

export function authorizeQuery(client, callback, extra = '') {
  const q = new URLSearchParams({ client_id: client, redirect_uri: callback, ...SENT });
  return `?${q.toString()}${extra}`;
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(resultsDir, `${name}.png`) });
}
