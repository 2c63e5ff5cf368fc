// The whole chain (docs/design.md#upstream-and-sync), in Chromium: an application using a
// real OIDC client library → Portico's /authorize → an Auth0-like authorization
// server (oidc-provider, tests/standin) → the application's callback → the code
// exchanged and the ID token validated → `org_id` is the chosen organization's id.
// Portico's directory is filled only by `portico-server sync` from the same stand-in
// tenant the authorization server serves, so the ids match because of sync.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { server, startPortico, freePort, launchBrowser, newPage, shot, until } from '../support/harness.mjs';
import { startApplication } from './oidc-app.mjs';
import { Auth0Tenant, seedTenant } from '../standin/auth0-tenant.mjs';
import { startAuth0Like } from '../standin/auth0-like-server.mjs';

let tenant, seeded, as, portico, app, browser;

before(async () => {
  const appPort = await freePort();
  tenant = await new Auth0Tenant().listen();
  seeded = seedTenant(tenant, { callbacks: [`http://127.0.0.1:${appPort}/callback`, `http://127.0.0.1:${appPort}/spa`] });
  as = await startAuth0Like(tenant);
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-chain-'));
  const database = `sqlite://${path.join(dir, 'portico.db')}`;
  const secret = path.join(dir, 'secret');
  writeFileSync(secret, tenant.m2m.client_secret, { mode: 0o600 });
  // Not execFileSync: the tenant answers from this very process.
  await promisify(execFile)(server, ['sync', '--from', tenant.base, '--client-id', tenant.m2m.client_id, '--client-secret-file', secret, '--database', database]);
  portico = await startPortico({ database, demo: false, authorize: as.authorize });
  app = await startApplication({ port: appPort, issuer: as.issuer, clientId: seeded.app.client_id });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of [app, portico, as, tenant]) s?.close();
});

/** At the authorization server's sign-in page: it was asked for `org` and `connection`; continue. */
async function continueAtServer(page, { org, connection }) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.locator('#org').textContent(), org);
  assert.equal(await page.locator('#connection').textContent(), connection);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Continues at the authorization server's sign-in page; the application's session. */
async function signInAtServer(page, asked) {
  const before = app.sessions.length;
  await continueAtServer(page, asked);
  await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  assert.equal(app.sessions.length, before + 1);
  return app.sessions.at(-1);
}

test('through the prompt: the ID token carries the organization the user typed', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${app.base}/login?authorize=${encodeURIComponent(`${portico.base}/authorize`)}`);
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  await page.getByLabel('Organization name or email').fill('acme');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Continue with Acme Okta' }).click();
  const claims = await signInAtServer(page, { org: 'Acme Corporation', connection: 'acme-okta' });
  assert.equal(claims.org_id, seeded.acme.id);
  assert.equal(claims.org_name, 'acme');
  assert.equal(claims.aud, seeded.app.client_id);
  assert.equal(claims.iss, as.issuer);
  const asked = as.received.at(-1);
  assert.equal(asked.get('organization'), seeded.acme.id);
  assert.equal(asked.get('connection'), 'acme-okta');
  assert.equal(await page.locator('#org_id').textContent(), seeded.acme.id);
  await shot(page, 'chain-signed-in');

  // Silent renewal from the application's hidden iframe: Portico answers prompt=none
  // with a redirect (never its page, which refuses frames), the server from its session.
  const renewed = app.sessions.length;
  await page.goto(`${app.base}/silent?authorize=${encodeURIComponent(`${portico.base}/authorize`)}&organization=acme`);
  await until(() => app.sessions.length !== renewed, { what: 'the hidden iframe to come back with a code', timeout: 5000 });
  assert.equal(app.sessions.length, renewed + 1, 'the hidden iframe came back with a code');
  const silent = app.sessions.at(-1);
  assert.equal(silent.org_id, seeded.acme.id, JSON.stringify(silent));
  assert.equal(as.received.at(-1).get('prompt'), 'none');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('through a subdomain: globex.login.test signs the user in to Globex', async () => {
  const { page, problems } = await newPage(browser);
  const front = `http://globex.login.test:${portico.port}/authorize`;
  await page.goto(`${app.base}/login?authorize=${encodeURIComponent(front)}`);
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  const claims = await signInAtServer(page, { org: 'Globex', connection: 'google-oauth2' });
  assert.equal(claims.org_id, seeded.globex.id);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('through connection=, straight to a hidden one: no Portico screen, the organization in the token', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${app.base}/login?authorize=${encodeURIComponent(`${portico.base}/authorize`)}&organization=acme&connection=acme-contractors`);
  const claims = await signInAtServer(page, { org: 'Acme Corporation', connection: 'acme-contractors' });
  assert.equal(claims.org_id, seeded.acme.id);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the authorization server really checks: an organization id that is not its own is refused', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${app.base}/login?authorize=${encodeURIComponent(as.authorize)}&organization=org_NotFromThisTenant1`);
  await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
  assert.equal(app.sessions.at(-1).error_description, 'parameter organization is invalid: org_NotFromThisTenant1');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('--upstream keycloak: the server is asked with kc_idp_hint and an organization scope, the rest unchanged', async () => {
  const keycloak = await startPortico({ database: portico.database, demo: false, authorize: as.authorize, extraArgs: ['--upstream', 'keycloak'] });
  try {
    const { page, problems } = await newPage(browser);
    await page.goto(`${app.base}/login?authorize=${encodeURIComponent(`${keycloak.base}/authorize`)}&organization=acme&login_hint=jane%40acme.test`);
    await page.getByRole('button', { name: 'Continue with Acme Okta' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const asked = as.received.at(-1);
    assert.equal(asked.get('kc_idp_hint'), 'acme-okta');
    assert.equal(asked.get('scope'), 'openid profile organization:acme');
    assert.equal(asked.get('organization'), null);
    assert.equal(asked.get('connection'), null);
    assert.equal(asked.get('login_hint'), 'jane@acme.test');
    assert.equal(asked.get('client_id'), seeded.app.client_id);
    assert.deepEqual(problems, []);
    await page.context().close();
  } finally {
    keycloak.close();
  }
});

/** Auth0's SPA SDK through Portico: signs in at the server, back in the SPA; its claims. */
async function spaSignIn(page, asked) {
  await continueAtServer(page, asked);
  await page.locator('#status', { hasText: /Signed in|Sign-in failed/ }).waitFor();
  const [status, claims] = [await page.locator('#status').textContent(), await page.locator('#claims').textContent()];
  assert.equal(status, 'Signed in', claims);
  return JSON.parse(claims);
}

/** What the SDK asked for and what the server received: equal but for what Portico adds. */
async function assertForwardedAsAsked(page, added) {
  const asked = new URL(await page.evaluate(() => sessionStorage.getItem('asked'))).searchParams;
  const got = new URLSearchParams(as.received.at(-1));
  for (const [k, v] of Object.entries(added)) {
    assert.equal(got.get(k), v, k);
    if (asked.has(k)) got.set(k, asked.get(k)); // the SDK's name, which Portico turned into the id
    else got.delete(k);
  }
  assert.deepEqual([...got].sort(), [...asked].sort());
  assert.ok(asked.get('auth0Client'), 'the SDK\'s own parameter went through too');
}

test("Auth0's SPA SDK: loginWithRedirect's openUrl sends it through Portico's prompt; the SDK finds org_id in the ID token", async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${app.base}/spa?authorize=${encodeURIComponent(`${portico.base}/authorize`)}`);
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  await page.getByLabel('Organization name or email').fill('acme');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('button', { name: 'Continue with Acme Okta' }).click();
  const claims = await spaSignIn(page, { org: 'Acme Corporation', connection: 'acme-okta' });
  assert.deepEqual(claims, { org_id: seeded.acme.id, org_name: 'acme', iss: as.issuer, aud: seeded.app.client_id });
  await assertForwardedAsAsked(page, { organization: seeded.acme.id, connection: 'acme-okta' });
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("Auth0's SPA SDK asking for an organization by name: Portico forwards its id, the SDK checks org_name", async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${app.base}/spa?authorize=${encodeURIComponent(`${portico.base}/authorize`)}&organization=globex`);
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  const claims = await spaSignIn(page, { org: 'Globex', connection: 'google-oauth2' });
  assert.equal(claims.org_id, seeded.globex.id);
  assert.equal(claims.org_name, 'globex');
  await assertForwardedAsAsked(page, { organization: seeded.globex.id, connection: 'google-oauth2' });
  assert.deepEqual(problems, []);
  await page.context().close();
});
