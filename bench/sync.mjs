// The directory-sync benchmark (issue "in front of a real authorization server"): a
// stand-in Auth0 tenant (tests/standin, rate limit off) with 10,000 organizations,
// each with two enabled connections (its own enterprise connection claiming an email
// domain, and a shared database connection), synced by `portico-server sync` into an
// empty SQLite and an empty PostgreSQL database (when PostgreSQL is installed); then
// 10 changes at the source and a re-sync. Wall time and peak memory (GNU time's
// maximum resident set size) of the sync process, and how many requests it made.
// Writes bench/results/sync.{json,md}.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Auth0Tenant } from '../tests/standin/auth0-tenant.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = path.join(root, 'target/release/portico-server');
const N = Number(process.env.PORTICO_BENCH_SYNC_ORGS ?? 10000);

const tenant = await new Auth0Tenant().listen();
const shared = tenant.createConnection({ name: 'Username-Password-Authentication', strategy: 'auth0' });
tenant.createClient({ name: 'App', callbacks: ['https://app.example.com/callback'], organization_usage: 'require', organization_require_behavior: 'pre_login_prompt' });
for (let i = 1; i <= N; i++) {
  const sso = tenant.createConnection({ name: `org-${i}-sso`, display_name: `Org ${i} SSO`, strategy: 'okta', options: { domain_aliases: [`org-${i}.example`] } });
  tenant.createOrganization({ name: `org-${i}`, display_name: `Org ${i}` }, [
    { connection_id: sso.id }, { connection_id: shared.id, assign_membership_on_login: true },
  ]);
}
const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-sync-'));
const secret = path.join(dir, 'secret');
writeFileSync(secret, tenant.m2m.client_secret);

function runSync(database) {
  return new Promise((resolve, reject) => {
    const before = tenant.log.length;
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', server, 'sync', '--from', tenant.base, '--client-id', tenant.m2m.client_id,
      '--client-secret-file', secret, '--database', database], { env: { ...process.env, PORTICO_LOG: 'warn' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(err));
      const rss = Number(err.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
      const [, reading, writing] = err.match(/reading ([\d.]+) s, writing ([\d.]+) s/).map(Number);
      resolve({ seconds: Math.round(seconds * 100) / 100, reading_s: reading, writing_s: writing, peak_rss_mb: Math.round(rss / 102.4) / 10, requests: tenant.log.length - before });
    });
  });
}

function tenChanges(round) {
  const orgs = [...tenant.organizations.values()];
  for (let i = 0; i < 4; i++) orgs[i * 997].display_name = `Renamed ${round}-${i}`;
  for (let i = 0; i < 3; i++) tenant.deleteOrganization(orgs[5000 + i * 13 + round].id);
  for (let i = 0; i < 3; i++) tenant.createOrganization({ name: `new-${round}-${i}` }, [{ connection_id: shared.id }]);
}

const databases = [['SQLite', `sqlite://${path.join(dir, 'sync.db')}`]];
const pgbin = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).at(-1) : null;
if (pgbin) {
  const admin = execFileSync(path.join(root, 'scripts/postgres.sh')).toString().trim();
  const u = new URL(admin);
  const name = `portico_bench_sync_${process.pid}`;
  execFileSync(`${pgbin}/createdb`, ['-h', u.hostname, '-p', u.port, '-U', 'postgres', name]);
  databases.push(['PostgreSQL', `${admin}/${name}`]);
}

const results = [];
let round = 0;
for (const [backend, database] of databases) {
  const first = await runSync(database);
  tenChanges(round++);
  const again = await runSync(database);
  results.push({ backend, first, resync_10_changes: again });
  console.log(backend, JSON.stringify({ first, again }));
}
tenant.close();

const date = new Date().toISOString().slice(0, 10);
const md = [`Measured ${date} with \`node bench/sync.mjs\` (${cpus().length} cores): \`portico-server sync\` from the stand-in Auth0 tenant`,
  `(tests/standin, in-process, rate limit off) with ${N.toLocaleString('en')} organizations, each with 2 enabled connections (${(N + 1).toLocaleString('en')} connections).`,
  'Wall time and peak resident memory of the sync process (GNU time); requests it made.', '',
  '| database | sync | of it: reading / writing | peak memory | requests |', '|---|---|---|---|---|',
  ...results.flatMap((r) => [['first sync', r.first], ['re-sync after 10 changes', r.resync_10_changes]].map(([what, x]) =>
    `| ${r.backend}, ${what} | ${x.seconds} s | ${x.reading_s} s / ${x.writing_s} s | ${x.peak_rss_mb} MB | ${x.requests} |`)),
  ''].join('\n');
writeFileSync(path.join(root, 'bench/results/sync.md'), md);
writeFileSync(path.join(root, 'bench/results/sync.json'), JSON.stringify({ date, organizations: N, results }, null, 2));
console.log(md);
