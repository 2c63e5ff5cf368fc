// A sync copies the whole source or changes nothing, whatever the source does: lists
// without totals, checkpoints that loop, more records than allowed, answers too
// large, a redirect that would carry the client secret elsewhere. And sources with
// more than 1,000 applications sync whole (checkpoint paging on /clients, at a
// stand-in Auth0 tenant and at another Portico); one that only offers offsets fails
// rather than cut the list. With several instances on one database, the background
// sync runs once per period between them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { server, startPortico, management } from '../support/harness.mjs';
import { Auth0Tenant, seedTenant } from '../standin/auth0-tenant.mjs';
import { READ, databases, secretFile, sync, dump } from './helpers.mjs';

/** A tenant with the seed and `n` more applications. */
function tenantWithClients(tenant, n) {
  const s = seedTenant(tenant);
  for (let i = 0; i < n; i++) tenant.createClient({ name: `App ${i}`, callbacks: ['https://app.example.com/cb'] });
  return s;
}

const [[backend, newDatabase]] = databases();

test(`${backend}: offset lists without a total, or short of it, fail the sync and change nothing`, async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  tenantWithClients(tenant, 249);
  const database = newDatabase();
  const first = await sync(tenant, database);
  assert.equal(first.code, 0, first.stderr);
  const before = await dump(database);
  assert.equal(before.clients.length, 250);
  // The source stops offering checkpoints on /clients and answers offset pages as
  // bare arrays: once, this kept the first 100 and deleted the other 150.
  tenant.clientsByCheckpoint = false;
  tenant.misbehave.noTotals = true;
  const r = await sync(tenant, database);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /sync failed, the directory is unchanged: \/api\/v2\/clients: the answer has no "total" \(include_totals=true\), so a page that ends the list cannot be told from one that cuts it\n/);
  assert.deepEqual(await dump(database), before);
});

test(`${backend}: a checkpoint that comes back is a loop, and the record cap ends any list`, async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  seedTenant(tenant);
  for (let i = 0; i < 250; i++) tenant.createOrganization({ name: `org-${i}` });
  const database = newDatabase();
  assert.equal((await sync(tenant, database)).code, 0);
  const before = await dump(database);
  tenant.misbehave.checkpointCycle = true;
  const r = await sync(tenant, database);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /\/api\/v2\/organizations: the checkpoint "org_\w+" came back after 252 records; the source's paging loops\n/);
  assert.deepEqual(await dump(database), before);
  tenant.misbehave.checkpointCycle = false;
  const capped = await sync(tenant, database, ['--sync-max-records', '200']);
  assert.equal(capped.code, 1, capped.stderr);
  assert.match(capped.stderr, /the source has sent more than 200 records \(--sync-max-records\); stopped\n/);
  assert.deepEqual(await dump(database), before);
});

test(`${backend}: a redirect from the token endpoint is an error naming where it led, and nothing is sent there`, async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  seedTenant(tenant);
  const received = [];
  const elsewhere = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method, body });
      res.end('{}');
    });
  });
  await new Promise((r) => elsewhere.listen(0, '127.0.0.1', r));
  t.after(() => elsewhere.close());
  const to = `http://127.0.0.1:${elsewhere.address().port}/collect`;
  tenant.misbehave.tokenRedirect = to;
  const database = newDatabase();
  const r = await sync(tenant, database);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`the token request \\(/oauth/token\\): 307 Temporary Redirect: the source redirected to ${to}, and a sync follows no redirect \\(it would carry the credentials there\\)\\n`));
  assert.ok(!r.stderr.includes(tenant.m2m.client_secret));
  assert.deepEqual(received, [], 'the client secret went nowhere else');
});

test(`${backend}: an answer larger than the body cap fails the sync`, async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  seedTenant(tenant);
  const database = newDatabase();
  assert.equal((await sync(tenant, database)).code, 0);
  const before = await dump(database);
  tenant.misbehave.hugeBody = 17 * 1024 * 1024;
  const r = await sync(tenant, database, ['--sync-timeout', '30s']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /\/api\/v2\/organizations: the answer is larger than 16777216 bytes\n/);
  assert.deepEqual(await dump(database), before);
});

test(`${backend}: more than 1,000 applications sync by checkpoint; a source with offsets alone fails instead of cutting`, async (t) => {
  const tenant = await new Auth0Tenant().listen();
  t.after(() => tenant.close());
  tenantWithClients(tenant, 1100);
  const database = newDatabase();
  const r = await sync(tenant, database);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /clients: 1101 created/);
  assert.ok(tenant.requests('/api/v2/clients').every((q) => q.query.includes('take=100')), 'checkpoints');
  tenant.clientsByCheckpoint = false;
  const before = await dump(database);
  const offsets = await sync(tenant, database);
  assert.equal(offsets.code, 1, offsets.stderr);
  assert.match(offsets.stderr, /\/api\/v2\/clients: the source has 1102 records, and offset paging reads at most 1000 \(it offers no checkpoint paging here\)\n/);
  assert.deepEqual(await dump(database), before);
});

test(`${backend}: another Portico with more than 1,000 applications syncs whole`, async (t) => {
  const source = await startPortico({ demo: false, extraArgs: ['--management-rate-limit', '100000'] });
  t.after(() => source.close());
  const create = management(source.base, source.token('create:clients'));
  for (let i = 0; i < 1050; i += 50) {
    await Promise.all(Array.from({ length: 50 }, async (_, j) => {
      const r = await create('POST', '/clients', { name: `App ${i + j}`, callbacks: ['https://app.example.com/cb'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }));
  }
  const database = newDatabase();
  const out = await syncFromPortico(source, database);
  assert.equal(out.code, 0, out.err);
  const got = await dump(database);
  assert.equal(got.clients.length, 1050);
  assert.deepEqual(got.clients, (await dump(source.database)).clients);
});

/** `portico-server sync` from another Portico, with a management token in a file. */
function syncFromPortico(source, database) {
  const tokenFile = secretFile(source.token(READ));
  return new Promise((resolve) => {
    const child = spawn(server, ['sync', '--from', source.base, '--token-file', tokenFile, '--database', database]);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, err }));
  });
}
