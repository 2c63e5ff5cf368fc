// The scale benchmark (a command, not a test): node bench/scale.mjs [--sizes 1000,10000,100000] [--seconds 5]
// For SQLite and PostgreSQL and each directory size, writes the synthetic directory
// (server/src/store/bulk.rs: N organizations, each with 2 enabled connections, one
// claiming its own email domain) in bulk with target/release/examples/synthetic_directory,
// serves it with the release portico-server, and measures with wrk (2 threads, 8
// connections) the public paths, each request naming a random organization so the
// one-second context cache cannot hide the directory:
//   GET /login/context (organization by name, never from the cache), GET /login/discover (an email whose
//   domain one organization claims, and one no organization claims), GET /authorize.
// Writes bench/results/scale.{json,md} (--out NAME: bench/results/NAME.{json,md}).
// The database's size on disk after seeding is part of each result.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root, server, freePort, waitForHealth } from '../tests/support/harness.mjs';
import { wrk } from './wrk.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SIZES = arg('--sizes', '1000,10000,100000').split(',').map(Number);
const SECONDS = Number(arg('--seconds', '5'));
const OUT = arg('--out', 'scale');
const seeder = path.join(root, 'target/release/examples/synthetic_directory');
const out = path.join(root, 'bench/results');
mkdirSync(out, { recursive: true });

// wrk picks a random organization for every request. The context's one-second
// answer cache would serve most of a small directory from memory; a redirect_uri
// that differs on every request (not a registered callback, which changes one
// boolean of the answer) makes every context request read the directory.
function luaScript(dir, n, kind) {
  const cb = encodeURIComponent('https://app.scale.test/callback');
  const paths = {
    'context (uncached)': `"/login/context?client_id=scale-client&redirect_uri=https%3A%2F%2Fx.test%2F" .. counter() .. "&organization=scale-" .. math.random(${n})`,
    'discover (match)': `"/login/discover?client_id=scale-client&email=jo%40scale-" .. math.random(${n}) .. ".test"`,
    'discover (no match)': `"/login/discover?client_id=scale-client&email=jo%40nomatch-" .. math.random(${n}) .. ".test"`,
    authorize: `"/authorize?client_id=scale-client&response_type=code&state=s&redirect_uri=${cb}&organization=scale-" .. math.random(${n})`,
  };
  const file = path.join(dir, `${kind.replace(/\W+/g, '_')}.lua`);
  writeFileSync(file, `math.randomseed(42)\nlocal c = 0\nfunction counter() c = c + 1 return c end\nrequest = function() return wrk.format("GET", ${paths[kind]}) end\n`);
  return file;
}

async function run(backend, n, pgAdmin) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-scale-'));
  let database;
  if (backend === 'sqlite') {
    database = `sqlite://${dir}/scale.db`;
  } else {
    const name = `portico_scale_${n}_${Date.now()}`;
    execFileSync('psql', [`${pgAdmin}/postgres`, '-qc', `CREATE DATABASE ${name}`]);
    database = `${pgAdmin}/${name}`;
  }
  const t0 = Date.now();
  execFileSync(seeder, ['--database', database, '--organizations', String(n)], { stdio: 'inherit' });
  const seedSeconds = (Date.now() - t0) / 1000;
  const dbBytes = backend === 'sqlite'
    ? Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0])
    : Number(execFileSync('psql', [database, '-tAc', 'SELECT pg_database_size(current_database())']).toString().trim());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(server, ['serve', '--addr', `127.0.0.1:${port}`, '--database', database, '--dist', path.join(root, 'dist'),
    '--public-rate-limit', '1000000000'], { stdio: 'ignore', env: { ...process.env, PORTICO_LOG: 'warn' } });
  const result = { backend, organizations: n, seedSeconds, dbBytes, paths: {} };
  try {
    await waitForHealth(base);
    for (const kind of ['context (uncached)', 'discover (match)', 'discover (no match)', 'authorize']) {
      const r = wrk(base, ['-t2', '-c8', `-d${SECONDS}s`, '-s', luaScript(dir, n, kind)]);
      result.paths[kind] = r;
      console.log(`${backend} ${n}: ${kind} ${r.rps.toFixed(0)} req/s, p99 ${r.p99ms.toFixed(2)} ms, non-2xx ${r.non2xx}`);
    }
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const pg = execFileSync(path.join(root, 'scripts/postgres.sh')).toString().trim();
const results = [];
try {
  for (const backend of ['sqlite', 'postgres']) {
    for (const n of SIZES) results.push(await run(backend, n, pg));
  }
} finally {
  execFileSync(path.join(root, 'scripts/postgres.sh'), ['stop']);
}

const machine = `${execFileSync('nproc').toString().trim()} cores`;
const date = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(out, `${OUT}.json`), JSON.stringify({ date, machine, seconds: SECONDS, results }, null, 2));
const kinds = Object.keys(results[0].paths);
let md = `Measured ${date} with \`node bench/scale.mjs\` (${machine}; wrk -t2 -c8 -d${SECONDS}s on loopback, a random organization per request;\nrelease server, rate limit off). Requests/s and p99 latency; the seed time is the bulk write of the directory.\n\n`;
md += `| database | organizations | seed | size on disk | ${kinds.join(' | ')} |\n|---|---|---|---|${kinds.map(() => '---|').join('')}\n`;
for (const r of results) {
  md += `| ${r.backend} | ${r.organizations.toLocaleString('en')} | ${r.seedSeconds.toFixed(1)} s | ${(r.dbBytes / 1e6).toFixed(0)} MB | ${kinds.map((k) => `${r.paths[k].rps.toFixed(0)}/s, ${r.paths[k].p99ms.toFixed(2)} ms${r.paths[k].non2xx ? ` (${r.paths[k].non2xx} non-2xx)` : ''}`).join(' | ')} |\n`;
}
md += '\nEach path at the largest size against the smallest (throughput ratio; target ≥ 0.5), and discovery against `/login/context` at the largest size (target ≥ 0.5):\n\n';
md += `| database | ${kinds.join(' | ')} | discover (match) / context |\n|---|${kinds.map(() => '---|').join('')}---|\n`;
for (const backend of ['sqlite', 'postgres']) {
  const rows = results.filter((r) => r.backend === backend);
  const small = rows[0];
  const big = rows[rows.length - 1];
  md += `| ${backend} | ${kinds.map((k) => (big.paths[k].rps / small.paths[k].rps).toFixed(2)).join(' | ')} | ${(big.paths['discover (match)'].rps / big.paths['context (uncached)'].rps).toFixed(2)} |\n`;
}
writeFileSync(path.join(out, `${OUT}.md`), md);
console.log('\n' + md);
