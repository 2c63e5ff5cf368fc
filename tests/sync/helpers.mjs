// What the sync tests share: a fresh database per backend, secrets in files, running
// `portico-server sync` to its end, and the directory as the local Management API
// lists it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { server, startPortico } from '../support/harness.mjs';

export const READ = 'read:organizations read:organization_connections read:connections read:clients';
let dbCount = 0;

/** A new empty database on each backend under test. */
export function databases() {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-sync-'));
  const out = [['sqlite', () => `sqlite://${path.join(dir, `d${dbCount++}.db`)}`]];
  const admin = process.env.PORTICO_TEST_POSTGRES;
  if (admin) {
    const pgbin = readdirSync('/usr/lib/postgresql').sort().map((v) => `/usr/lib/postgresql/${v}/bin`).at(-1);
    const u = new URL(admin);
    out.push(['postgres', () => {
      const name = `portico_sync_${process.pid}_${dbCount++}`;
      execFileSync(`${pgbin}/createdb`, ['-h', u.hostname, '-p', u.port, '-U', u.username || 'postgres', name]);
      return `${admin}/${name}`;
    }]);
  }
  return out;
}

export function secretFile(secret) {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'portico-secret-')), 'secret');
  writeFileSync(f, `${secret}\n`, { mode: 0o600 });
  return f;
}

export function syncArgs(tenant, database, extra = []) {
  return ['sync', '--from', tenant.base, '--client-id', tenant.m2m.client_id, '--client-secret-file', secretFile(tenant.m2m.client_secret),
    '--database', database, ...(extra.includes('--sync-timeout') ? [] : ['--sync-timeout', '2s']), ...extra];
}

/** Runs `portico-server sync` to its end: exit code and stderr. */
export function sync(tenant, database, extra = [], env = {}) {
  return new Promise((resolve) => {
    const child = spawn(server, syncArgs(tenant, database, extra), { env: { ...process.env, PORTICO_LOG: 'warn', ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** The whole directory as the local Management API lists it (every page). */
export async function dump(database) {
  const p = await startPortico({ database, demo: false });
  try {
    const get = async (q) => (await p.api('GET', q, { scopes: READ })).body;
    const all = async (list, key) => {
      const out = [];
      let from = '';
      for (;;) {
        const page = await get(`${list}?take=100${from ? `&from=${encodeURIComponent(from)}` : ''}`);
        out.push(...page[key]);
        if (!page.next) return out;
        from = page.next;
      }
    };
    const orgs = await all('/organizations', 'organizations');
    const clients = (await all('/clients', 'clients')).sort((a, b) => (a.client_id < b.client_id ? -1 : 1));
    const out = { organizations: [], connections: await all('/connections', 'connections'), clients };
    for (const o of orgs) out.organizations.push({ ...o, enabled: (await get(`/organizations/${o.id}/enabled_connections?per_page=100`)) });
    return out;
  } finally {
    p.close();
  }
}
