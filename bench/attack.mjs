// Portico under attack (a command, not a test): node bench/attack.mjs [--seconds 20]
//
// The release portico-server with the demo tenant. Legitimate users (one request every
// 5 ms, each from one of 50 loopback addresses, so none is near the rate limit)
// measure `GET /authorize` (Globex's themed login, rendered by the server) and
// `GET /login/context`, first unloaded, then while one abusive client (from
// 127.0.0.2: its own rate-limit bucket; 32 connections; a process of its own pinned to
// one of the two cores, as an attacker's machine is not the server's) sends the worst
// requests a stranger can, as fast as it can:
//   - the 60 KB query of 15,000 distinct names (once 0.7 s of CPU each),
//   - the worst query within the bounds (16 KB of `%22`, 64 parameters) on /authorize
//     with `Accept-Encoding: identity` (once a ~1 MB answer),
//   - /login/context with a distinct 8 KB organization every time (once 78 MB of
//     cache for 3,000 of them).
// Twice: with the default public rate limit (600 a minute per client; the attacker is
// refused with 429 after its first 600), and with the limit lifted, so that every
// attack request is served and costs what it costs. The server's resident memory is
// sampled throughout (its peak, and its size at the start and the end of each phase).
// Writes bench/results/attack.{json,md}.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { root, server, freePort, waitForHealth } from '../tests/support/harness.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SECONDS = Number(arg('--seconds', '20'));
const out = path.join(root, 'bench/results');
mkdirSync(out, { recursive: true });

const CB = encodeURIComponent('http://localhost:8080/callback');
const LEGIT = {
  authorize: `/authorize?client_id=demo-require-prompt&redirect_uri=${CB}&response_type=code&scope=openid%20profile&state=bench-state&organization=globex`,
  context: '/login/context?client_id=demo-require-prompt&organization=globex',
};

function attackRequests() {
  const letter = (n) => String.fromCharCode(97 + (n % 26));
  const names = Array.from({ length: 15000 }, (_, i) => letter(Math.floor(i / 676)) + letter(Math.floor(i / 26)) + letter(i)).join('&');
  const base = `client_id=demo-require-prompt&redirect_uri=${CB}&response_type=code&organization=globex`;
  let worst = base;
  for (let i = 0; worst.length < 16000; i++) worst += `&w${i}=${'%22'.repeat(Math.min(2600, Math.floor((16000 - worst.length) / 3)))}`;
  while (worst.length > 16384) worst = worst.slice(0, worst.lastIndexOf('&'));
  let n = 0;
  return [
    () => ({ path: `/index.html?${names}`, headers: {} }),
    () => ({ path: `/authorize?${worst}`, headers: { 'accept-encoding': 'identity' } }),
    () => ({ path: `/login/context?client_id=demo-require-prompt&organization=org_${n++}${'x'.repeat(8150)}`, headers: {} }),
  ];
}

function get(agent, localAddress, port, p, headers = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, path: p, agent, localAddress, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', () => resolve({ status: 0, bytes: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end();
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Legitimate users for `seconds`: the two paths in turn, a request every 5 ms, each
 * from one of 50 addresses (with an open connection each, as a browser keeps one). */
async function legit(port, seconds) {
  const users = Array.from({ length: 50 }, (_, i) => ({ address: `127.0.1.${i + 1}`, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }));
  const times = { authorize: [], context: [] };
  const statuses = {};
  const end = Date.now() + seconds * 1000;
  const paths = Object.entries(LEGIT);
  for (let i = 0; Date.now() < end; i++) {
    const started = Date.now();
    const [name, p] = paths[i % paths.length];
    const user = users[i % users.length];
    const r = await get(user.agent, user.address, port, p);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    times[name].push(r.ms);
    const wait = 5 - (Date.now() - started);
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  for (const u of users) u.agent.destroy();
  const summary = (xs) => ({ n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99) });
  return { authorize: summary(times.authorize), context: summary(times.context), statuses };
}

/** The abusive client, in this file run as its own process (`--attack PORT`): 32
 * connections, the worst requests in turn, until told to stop on stdin; then its
 * counts on stdout. */
async function attackProcess(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const kinds = attackRequests();
  const counts = { sent: 0, statuses: {}, bytes: 0 };
  let running = true;
  process.stdin.once('data', () => (running = false));
  const loops = Array.from({ length: 32 }, async (_, i) => {
    for (let k = i; running; k++) {
      const { path: p, headers } = kinds[k % kinds.length]();
      const r = await get(agent, '127.0.0.2', port, p, headers);
      counts.sent++;
      counts.bytes += r.bytes;
      counts.statuses[r.status] = (counts.statuses[r.status] ?? 0) + 1;
    }
  });
  await Promise.all(loops);
  agent.destroy();
  process.stdout.write(JSON.stringify(counts));
  process.exit(0);
}

/** Starts the attacker, pinned to the second core; `stop()` gives its counts. */
function attack(port) {
  const child = spawn('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url), '--attack', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  return {
    async stop() {
      child.stdin.write('stop\n');
      await exited;
      return JSON.parse(out);
    },
  };
}

async function scenario(name, extraArgs) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-attack-'));
  const child = spawn(server, ['serve', '--addr', `127.0.0.1:${port}`, '--database', `sqlite://${dir}/attack.db`,
    '--dist', path.join(root, 'dist'), '--base-domain', 'localhost', '--demo', ...extraArgs],
  { stdio: 'ignore', env: { ...process.env, PORTICO_LOG: 'warn' } });
  try {
    await waitForHealth(`http://127.0.0.1:${port}`);
    // Warm up: the first requests build the page template and language files.
    await legit(port, 1);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(child.pid))), 100);
    const rssStart = rssKb(child.pid);
    const unloaded = await legit(port, SECONDS / 2);
    const rssBeforeAttack = rssKb(child.pid);
    const abuse = attack(port);
    // Memory each second of the attack: flat means the second half is no higher than
    // the first.
    const perSecond = [];
    const everySecond = setInterval(() => perSecond.push(rssKb(child.pid)), 1000);
    const underAttack = await legit(port, SECONDS);
    const attacker = await abuse.stop();
    clearInterval(everySecond);
    const rssAfterAttack = rssKb(child.pid);
    clearInterval(sampler);
    const half = Math.floor(perSecond.length / 2);
    const maxOf = (xs) => Math.max(...xs);
    return { name, extraArgs, unloaded, underAttack, attacker, memoryKb: { start: rssStart, beforeAttack: rssBeforeAttack, peak, firstHalfMax: maxOf(perSecond.slice(0, half)), secondHalfMax: maxOf(perSecond.slice(half)), afterAttack: rssAfterAttack } };
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv.includes('--attack')) {
  await attackProcess(Number(arg('--attack')));
}

const results = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0].model}`,
  seconds: SECONDS,
  scenarios: [
    await scenario('default rate limit (600/min per client)', []),
    await scenario('rate limit lifted: every attack request served', ['--public-rate-limit', '1000000000']),
  ],
};
writeFileSync(path.join(out, 'attack.json'), `${JSON.stringify(results, null, 2)}\n`);

const f = (x) => x.toFixed(2);
let md = `# Portico under attack\n\n${results.date}, ${results.machine}; \`node bench/attack.mjs --seconds ${SECONDS}\` (\`PORTICO_BENCH=attack scripts/bench.sh\`).\n\n`;
md += 'Legitimate users (a request every 5 ms from 50 addresses) measure `/authorize` (Globex, server-rendered) and `/login/context`, unloaded and while one client on another address (a process pinned to one core) sends the worst requests it can over 32 connections: the 60 KB query of 15,000 names, the worst query within the bounds with `Accept-Encoding: identity`, and `/login/context` with a distinct 8 KB organization each time. Times in ms.\n\n';
md += '| scenario | path | unloaded p50 | unloaded p99 | under attack p50 | under attack p99 | p99 ratio |\n|---|---|---|---|---|---|---|\n';
for (const s of results.scenarios) {
  for (const p of ['authorize', 'context']) {
    md += `| ${s.name} | ${p} | ${f(s.unloaded[p].p50)} | ${f(s.unloaded[p].p99)} | ${f(s.underAttack[p].p50)} | ${f(s.underAttack[p].p99)} | ${f(s.underAttack[p].p99 / s.unloaded[p].p99)}× |\n`;
  }
}
md += '\n| scenario | attack requests | their statuses | bytes answered | legitimate statuses under attack | RSS start → before attack → peak → after (MB) | RSS, attack\'s first half max → second half max (MB) |\n|---|---|---|---|---|---|---|\n';
const mb = (kb) => (kb / 1024).toFixed(1);
for (const s of results.scenarios) {
  const m = s.memoryKb;
  md += `| ${s.name} | ${s.attacker.sent} | ${JSON.stringify(s.attacker.statuses)} | ${(s.attacker.bytes / 1e6).toFixed(1)} MB | ${JSON.stringify(s.underAttack.statuses)} | ${mb(m.start)} → ${mb(m.beforeAttack)} → ${mb(m.peak)} → ${mb(m.afterAttack)} | ${mb(m.firstHalfMax)} → ${mb(m.secondHalfMax)} |\n`;
}
writeFileSync(path.join(out, 'attack.md'), md);
console.log(md);
