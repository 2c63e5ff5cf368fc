// Runs the official auth0 Node SDK (ManagementClient) against Portico, as an existing
// Auth0 customer's script would. Started by sdk.test.mjs with PORTICO_DOMAIN (a TLS
// front on loopback), PORTICO_TOKEN and PORTICO_READ_ONLY_TOKEN.
import assert from 'node:assert/strict';
import { ManagementClient, ManagementError, Management } from 'auth0';

const domain = process.env.PORTICO_DOMAIN;
const client = new ManagementClient({ domain, token: process.env.PORTICO_TOKEN });
const readOnly = new ManagementClient({ domain, token: process.env.PORTICO_READ_ONLY_TOKEN });

async function expectError(promise, status, errorClass, message) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ManagementError, `a ManagementError, got ${e?.constructor?.name}: ${e}`);
    assert.ok(e instanceof errorClass, `${errorClass.name}, got ${e.constructor.name}`);
    assert.equal(e.statusCode, status);
    assert.equal(e.body.message, message);
    console.log(`  ${status} ${e.constructor.name}: ${e.body.message}`);
    return;
  }
  assert.fail(`expected ${status}`);
}

const conn = await client.connections.create({
  name: 'sdk-okta',
  strategy: 'okta',
  display_name: 'SDK Okta',
  options: { authorization_endpoint: 'https://sdk.okta.test/oauth2/v1/authorize', client_id: 'x', scope: 'openid', domain_aliases: ['sdk.test'] },
});
assert.match(conn.id, /^con_/);
console.log('created connection', conn.id);

const org = await client.organizations.create({
  name: 'sdk-org',
  display_name: 'SDK Org',
  branding: { logo_url: 'https://cdn.sdk.test/logo.png', colors: { primary: '#123456', page_background: '#fafafa' } },
  metadata: { plan: 'enterprise' },
});
assert.match(org.id, /^org_/);
console.log('created organization', org.id);

const enabled = await client.organizations.enabledConnections.add(org.id, { connection_id: conn.id, assign_membership_on_login: true });
assert.equal(enabled.assign_membership_on_login, true);

const app = await client.clients.update('demo-allow', { organization_usage: 'require', organization_require_behavior: 'pre_login_prompt' });
assert.equal(app.organization_usage, 'require');

// Read everything back.
const got = await client.organizations.get(org.id);
assert.equal(got.display_name, 'SDK Org');
assert.equal(got.branding.colors.primary, '#123456');
assert.equal((await client.organizations.getByName('sdk-org')).id, org.id);
const ec = await client.organizations.enabledConnections.get(org.id, conn.id);
assert.equal(ec.assign_membership_on_login, true);
assert.equal(ec.connection.name, 'sdk-okta');
const readBack = await client.clients.get('demo-allow');
assert.equal(readBack.organization_usage, 'require');
assert.equal(readBack.organization_require_behavior, 'pre_login_prompt');

// Page through organizations (checkpoint paging, two at a time).
for (let i = 0; i < 3; i++) await client.organizations.create({ name: `sdk-page-${i}` });
const names = [];
for await (const o of await client.organizations.list({ take: 2 })) names.push(o.name);
names.sort();
assert.deepEqual(names, ['acme', 'globex', 'initech', 'sdk-org', 'sdk-page-0', 'sdk-page-1', 'sdk-page-2']);
console.log('paged through', names.length, 'organizations');

// Each error, as the SDK's own typed errors.
await expectError(client.organizations.create({ name: 'sdk-org' }), 409, Management.ConflictError, 'An organization with the same name already exists.');
await expectError(client.organizations.create({ name: 'Not Valid' }), 400, Management.BadRequestError,
  "Payload validation error: 'String does not match pattern ^[a-z0-9_-]{1,50}$ (1-50 characters of lowercase letters, digits, '_' and '-')' on property name.");
await expectError(readOnly.organizations.create({ name: 'nope' }), 403, Management.ForbiddenError, 'Insufficient scope; expected any of: create:organizations.');
await expectError(client.organizations.get('org_0000000000000000'), 404, Management.NotFoundError, 'No organization found by that id or name');

await client.organizations.delete(org.id);
await expectError(client.organizations.get(org.id), 404, Management.NotFoundError, 'No organization found by that id or name');
console.log('sdk compatibility: ok');
