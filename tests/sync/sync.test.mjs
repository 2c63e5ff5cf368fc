// `portico-server sync` and `serve --sync-from` against a stand-in Auth0 tenant
// (tests/standin): ids kept, removals applied, all-or-nothing (an interrupted or
// killed sync changes nothing), 429 storms and transient failures survived, a source
// that goes down while serving, and another portico-server as the source. On SQLite,
// and on PostgreSQL too when PORTICO_TEST_POSTGRES names a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { server, startPortico, until } from '../support/harness.mjs';
import { Auth0Tenant, seedTenant } from '../standin/auth0-tenant.mjs';
import { READ, databases, secretFile, sync, syncArgs, dump } from './helpers.mjs';

for (const [backend, newDatabase] of databases()) {
  test(`${backend}: a first sync copies the tenant with its ids, drops what Portico does not use, and owns the directory`, async (t) => {
    const tenant = await new Auth0Tenant().listen();
    t.after(() => tenant.close());
    const s = seedTenant(tenant);
    const database = newDatabase();
    const r = await sync(tenant, database);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /sync: organizations: 2\n/);
    assert.match(r.stderr, /organizations: 2 created, 0 updated, 0 removed/);
    assert.match(r.stderr, /clients: 1 created/);
    assert.ok(!r.stderr.includes(tenant.m2m.client_secret), 'the client secret is never printed');
    const d = await dump(database);
    assert.deepEqual(d.organizations.map((o) => [o.id, o.name]).sort(), [[s.acme.id, 'acme'], [s.globex.id, 'globex']].sort());
    const acme = d.organizations.find((o) => o.id === s.acme.id);
    assert.equal(acme.display_name, 'Acme Corporation');
    assert.deepEqual(acme.branding, s.acme.branding);
    assert.deepEqual(acme.enabled.map((e) => [e.connection_id, e.show_as_button, e.assign_membership_on_login]),
      [[s.okta.id, true, false], [s.db.id, true, true], [s.hidden.id, false, false]]);
    const okta = d.connections.find((c) => c.id === s.okta.id);
    assert.deepEqual(okta.options, { domain_aliases: ['acme.test'] }, 'the source\'s secrets stay there');
    assert.deepEqual(d.clients.map((c) => [c.client_id, c.name, c.organization_usage, c.organization_require_behavior]),
      [[s.app.client_id, 'Acme SPA', 'require', 'pre_login_prompt']], 'the "All Applications" record is not an application');
    // The tenant saw exactly what sync needs: fields asked for, scopes it has.
    assert.ok(tenant.requests('/api/v2/clients').every((q) => q.query.includes('fields=')));
    assert.ok(tenant.log.every((q) => q.status === 200), JSON.stringify(tenant.log.filter((q) => q.status !== 200)));

    // The login page sees the synced organization, and local writes are refused.
    const p = await startPortico({ database, demo: false });
    t.after(() => p.close());
    const ctx = await fetch(`${p.base}/login/context?client_id=${s.app.client_id}&organization=acme`);
    assert.equal(ctx.status, 200);
    assert.equal((await ctx.json()).organization.id, s.acme.id);
    const w = await p.api('PATCH', `/organizations/${s.acme.id}`, { body: { display_name: 'Local' }, scopes: 'update:organizations' });
    assert.equal(w.status, 409);
    assert.deepEqual(w.body, { statusCode: 409, error: 'Conflict', errorCode: 'synced_resource',
      message: `This directory is synced from ${tenant.base}: organizations, connections and clients change there, and the next sync brings the change here.` });
    const c = await p.api('POST', '/connections', { body: { name: 'local', strategy: 'auth0' }, scopes: 'create:connections' });
    assert.equal(c.status, 409);
    // The public word, and the detail for a token with read:health.
    assert.equal(await (await fetch(`${p.base}/healthz`)).text(), 'ok');
    const health = await fetch(`${p.base}/healthz`, { headers: { authorization: `Bearer ${p.token('read:health')}` } });
    assert.equal(health.status, 200);
    assert.match(await health.text(), new RegExp(`^ok\\nsynced from ${tenant.base}: the last good sync finished \\d+ s ago$`));
  });

  test(`${backend}: a re-sync applies creates, updates, renames and deletes, ids kept`, async (t) => {
    const tenant = await new Auth0Tenant().listen();
    t.after(() => tenant.close());
    const s = seedTenant(tenant);
    const initech = tenant.createOrganization({ name: 'initech' });
    const umbrella = tenant.createOrganization({ name: 'umbrella' });
    const database = newDatabase();
    assert.equal((await sync(tenant, database)).code, 0);
    // Two organizations swap names: neither name is ever free in between.
    tenant.organizations.get(initech.id).name = 'umbrella';
    tenant.organizations.get(umbrella.id).name = 'initech';
    // At the source: acme renamed, a new organization takes its old name, globex gone,
    // a connection renamed for display, one enabled connection removed, a new client.
    tenant.organizations.get(s.acme.id).name = 'acme-corp';
    const newAcme = tenant.createOrganization({ name: 'acme', display_name: 'New Acme' }, [{ connection_id: s.google.id }]);
    tenant.deleteOrganization(s.globex.id);
    tenant.connections.get(s.okta.id).display_name = 'Acme SSO';
    tenant.enabled.set(s.acme.id, tenant.enabled.get(s.acme.id).filter((e) => e.connection_id !== s.hidden.id));
    const app2 = tenant.createClient({ name: 'Acme Admin', callbacks: ['https://admin.example.com/cb'] });
    const r = await sync(tenant, database);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /organizations: 1 created, 3 updated, 1 removed/);
    assert.match(r.stderr, /connections: 0 created, 1 updated, 0 removed/);
    assert.match(r.stderr, /enabled connections: 1 created, 0 updated, 2 removed/);
    assert.match(r.stderr, /clients: 1 created, 0 updated, 0 removed/);
    const d = await dump(database);
    assert.deepEqual(d.organizations.map((o) => [o.id, o.name]).sort(),
      [[s.acme.id, 'acme-corp'], [newAcme.id, 'acme'], [initech.id, 'umbrella'], [umbrella.id, 'initech']].sort());
    assert.deepEqual(d.organizations.find((o) => o.id === s.acme.id).enabled.map((e) => e.connection_id), [s.okta.id, s.db.id]);
    assert.equal(d.connections.find((c) => c.id === s.okta.id).display_name, 'Acme SSO');
    assert.deepEqual(d.clients.map((c) => c.client_id).sort(), [s.app.client_id, app2.client_id].sort());
    // Nothing changed at the source: nothing written.
    const again = await sync(tenant, database);
    assert.match(again.stderr, /organizations: 0 created, 0 updated, 0 removed/);
  });

  test(`${backend}: a sync that fails halfway changes nothing`, async (t) => {
    const tenant = await new Auth0Tenant().listen();
    t.after(() => tenant.close());
    const s = seedTenant(tenant);
    const database = newDatabase();
    assert.equal((await sync(tenant, database)).code, 0);
    const before = await dump(database);
    tenant.deleteOrganization(s.globex.id);
    tenant.createOrganization({ name: 'initech' }, [{ connection_id: s.db.id }]);
    // The organizations, connections and clients read fine; then everything fails.
    tenant.failAfter = 1 + 1 + 1 + 1 + 1;
    const r = await sync(tenant, database);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /sync failed, the directory is unchanged: \/api\/v2\/organizations\/org_\w+\/enabled_connections: 500 Internal Server Error: Injected failure \(6 tries\)/);
    assert.deepEqual(await dump(database), before);
  });

  test(`${backend}: a sync killed with kill -9 midway leaves the previous directory intact`, async (t) => {
    const tenant = await new Auth0Tenant().listen();
    t.after(() => tenant.close());
    const s = seedTenant(tenant);
    for (let i = 0; i < 30; i++) tenant.createOrganization({ name: `extra-${i}` }, [{ connection_id: s.db.id }]);
    const database = newDatabase();
    assert.equal((await sync(tenant, database)).code, 0);
    const before = await dump(database);
    for (let i = 0; i < 30; i++) tenant.deleteOrganization([...tenant.organizations.values()].find((o) => o.name === `extra-${i}`).id);
    tenant.createOrganization({ name: 'initech' }, [{ connection_id: s.db.id }]);
    let served = 0;
    tenant.hang = (p) => p.endsWith('/enabled_connections') && ++served > 1;
    const child = spawn(server, syncArgs(tenant, database, ['--sync-timeout', '60s']), { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await until(() => tenant.hanging.length >= 1, { what: 'the sync to be midway, waiting on the source', every: 20 });
    child.kill('SIGKILL');
    await exited;
    assert.deepEqual(await dump(database), before);
  });

  test(`${backend}: a 429 storm and transient failures slow the sync down but it finishes`, async (t) => {
    const tenant = await new Auth0Tenant().listen();
    t.after(() => tenant.close());
    const s = seedTenant(tenant);
    for (let i = 0; i < 40; i++) tenant.createOrganization({ name: `storm-${i}` }, [{ connection_id: s.db.id }]);
    tenant.rateLimit = 10;
    tenant.failNext = [500, 503];
    let hung = 0;
    tenant.hang = (p) => p.endsWith('/enabled_connections') && ++hung === 3; // one request times out
    const database = newDatabase();
    const r = await sync(tenant, database, ['--sync-timeout', '1s']);
    assert.equal(r.code, 0, r.stderr);
    const d = await dump(database);
    assert.equal(d.organizations.length, 42);
    const limited = tenant.log.filter((q) => q.status === 429).length;
    const served = tenant.log.filter((q) => q.status === 200).length;
    assert.ok(limited > 0, 'the limit was hit');
    // Every request in flight waits out a 429, so rejections stay a fraction of the
    // requests served instead of a retry storm.
    assert.ok(limited <= served, `${limited} rejected, ${served} served`);
  });
}

test('postgres: instances sharing one database sync one at a time (an advisory lock), and a killed one frees it', { skip: !process.env.PORTICO_TEST_POSTGRES }, async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  seedTenant(tenant);
  const [, [, newDatabase]] = databases();
  const database = newDatabase();
  tenant.hang = (p) => p.endsWith('/enabled_connections');
  const first = spawn(server, syncArgs(tenant, database, ['--sync-timeout', '60s']), { stdio: 'ignore' });
  const exited = new Promise((r) => first.once('exit', r));
  await until(() => tenant.hanging.length >= 1, { what: 'the first sync to hold the lock, waiting on the source', every: 20 });
  const second = await sync(tenant, database);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /another instance holds the sync lock; try again when it has finished/);
  first.kill('SIGKILL');
  await exited;
  tenant.hang = null;
  const third = await sync(tenant, database);
  assert.equal(third.code, 0, third.stderr);
});

test('the source refusing the credentials, the audience or a scope: a clear error, nothing changed, no secret printed', async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  const s = seedTenant(tenant);
  const [[, newDatabase]] = databases();
  const database = newDatabase();
  assert.equal((await sync(tenant, database)).code, 0);
  const before = await dump(database);
  tenant.deleteOrganization(s.globex.id);
  const right = tenant.m2m.client_secret;
  tenant.m2m.client_secret = 'rotated-at-the-source';
  const refused = await new Promise((resolve) => {
    const args = syncArgs(tenant, database);
    args[args.indexOf('--client-secret-file') + 1] = secretFile(right);
    const child = spawn(server, args);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, err }));
  });
  assert.equal(refused.code, 1);
  assert.match(refused.err, /sync failed, the directory is unchanged: the token request \(\/oauth\/token\): 401 Unauthorized: Unauthorized \(the source refused the credentials\)\n/);
  assert.ok(!refused.err.includes(right));
  tenant.m2m.client_secret = right;
  const audience = await sync(tenant, database, ['--audience', 'https://elsewhere/api/v2/']);
  assert.equal(audience.code, 1);
  assert.match(audience.stderr, /403 Forbidden: Service not found: https:\/\/elsewhere\/api\/v2\//);
  tenant.m2m.scopes = ['read:organizations', 'read:connections', 'read:clients'];
  const scope = await sync(tenant, database);
  assert.equal(scope.code, 1);
  assert.match(scope.stderr, /: 403 Forbidden: Insufficient scope, expected any of: read:organization_connections\n/);
  assert.deepEqual(await dump(database), before);
});

test('serve --sync-from: the last good copy serves while the source is down, and /healthz says how stale it is', async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  const s = seedTenant(tenant);
  const [[, newDatabase]] = databases();
  const p = await startPortico({
    database: newDatabase(),
    demo: false,
    extraArgs: ['--sync-from', tenant.base, '--client-id', tenant.m2m.client_id, '--sync-every', '1s', '--sync-stale-after', '3s', '--sync-timeout', '1s'],
    // The secret comes from the environment here, never from a flag.
    env: { PORTICO_SYNC_CLIENT_SECRET: tenant.m2m.client_secret },
  });
  t.after(() => p.close());
  const context = () => fetch(`${p.base}/login/context?client_id=${s.app.client_id}&organization=acme`);
  await until(async () => (await context()).status === 200, { what: 'the first sync', every: 100 });
  // A change at the source arrives with the next sync, and the context cache forgets.
  tenant.organizations.get(s.acme.id).display_name = 'Acme, synced again';
  const name = async () => (await (await context()).json()).organization.display_name;
  await until(async () => (await name()) === 'Acme, synced again', { what: 'the change to arrive', every: 200 });
  await tenant.down();
  const operator = { headers: { authorization: `Bearer ${p.token('read:health')}` } };
  let health;
  let text;
  await until(async () => {
    health = await fetch(`${p.base}/healthz`, operator);
    text = await health.text();
    return text.startsWith('stale') && text.includes('the last attempt failed');
  }, { what: '/healthz to say stale, with the failure', timeout: 20000, every: 250 });
  assert.equal(health.status, 503);
  // A stranger reads one word.
  assert.equal(await (await fetch(`${p.base}/healthz`)).text(), 'stale');
  assert.match(text, new RegExp(`^stale: the last good sync from ${tenant.base} finished \\d+ s ago, past the limit of 3 s\\nthe last attempt failed: .*cannot connect`));
  assert.equal((await context()).status, 200, 'logins go on from the last good copy');
  await tenant.listen();
  await until(async () => (await fetch(`${p.base}/healthz`)).status === 200, { what: '/healthz to recover', every: 200 });
});

test('another portico-server as the source, with a management token from a file', async (t) => {
  // Not the demo: its logos are http://localhost, which only a demo directory may hold.
  const source = await startPortico({ demo: false });
  t.after(() => source.close());
  const write = 'create:connections create:organizations create:organization_connections create:clients';
  const okta = await source.api('POST', '/connections', { scopes: write, body: {
    name: 'acme-okta', display_name: 'Acme Okta', strategy: 'okta',
    options: { domain_aliases: ['acme.test'], client_id: 'kept-at-the-source', icon_url: 'https://cdn.acme.test/okta.svg' },
  } });
  assert.equal(okta.status, 201, JSON.stringify(okta.body));
  const db = await source.api('POST', '/connections', { scopes: write, body: { name: 'Username-Password-Authentication', strategy: 'auth0', enabled_clients: [] } });
  assert.equal(db.status, 201, JSON.stringify(db.body));
  for (const [name, branding] of [['acme', { logo_url: 'https://cdn.acme.test/logo.svg', colors: { primary: '#0059d6', page_background: '#eeeeee' } }], ['globex', null]]) {
    const o = await source.api('POST', '/organizations', { scopes: write, body: {
      name, display_name: name.toUpperCase(), ...(branding ? { branding } : {}),
      enabled_connections: [{ connection_id: okta.body.id }, { connection_id: db.body.id, assign_membership_on_login: true, is_signup_enabled: true }],
    } });
    assert.equal(o.status, 201, JSON.stringify(o.body));
  }
  const app = await source.api('POST', '/clients', { scopes: write, body: {
    name: 'Acme SPA', callbacks: ['https://app.example.com/callback'], organization_usage: 'require', organization_require_behavior: 'pre_login_prompt',
  } });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  const tokenFile = secretFile(source.token(READ));
  const [[, newDatabase]] = databases();
  const database = newDatabase();
  const r = await new Promise((resolve) => {
    const child = spawn(server, ['sync', '--from', source.base, '--token-file', tokenFile, '--database', database]);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, err }));
  });
  assert.equal(r.code, 0, r.err);
  const want = await dump(source.database);
  // A connection's options keep only what Portico uses; the rest stays at the source.
  for (const c of want.connections) {
    c.options = Object.fromEntries(Object.entries(c.options).filter(([k]) => ['icon_url', 'domain_aliases'].includes(k)));
  }
  assert.deepEqual(await dump(database), want);
});
