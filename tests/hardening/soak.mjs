// A bounded soak on loopback (a command, not a test): node tests/hardening/soak.mjs [seconds]
// Mixed load against portico-server (release) with the demo tenant: 90% public
// lookups (known and unknown organizations), 10% management writes, 16 concurrent
// clients, for 60 s by default. Reports throughput, latency percentiles, statuses
// (any 429 is the public limit, 10,000/s for the one client address), and the
// server's resident memory sampled every 5 s.
import { readFileSync } from 'node:fs';
import { startPortico, management } from '../support/harness.mjs';

const seconds = Number(process.argv[2]) || 60;
const portico = await startPortico({ extraArgs: ['--public-rate-limit', '600000', '--management-rate-limit', '100000'] });
const write = management(portico.base, portico.token('create:organizations delete:organizations'));
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${portico.child.pid}/status`, 'utf8'))[1]);
const memory = [rss()];
const sampler = setInterval(() => memory.push(rss()), 5000);
const latencies = [];
const statuses = {};
let n = 0;
const end = Date.now() + seconds * 1000;
async function client(id) {
  while (Date.now() < end) {
    const i = n++;
    const started = performance.now();
    let r;
    if (i % 10 === 0) {
      r = await write('POST', '/organizations', { name: `soak-${id}-${i}`, display_name: 'Soak' });
    } else {
      const org = ['globex', 'acme', 'initech', 'nope'][i % 4];
      r = await fetch(`${portico.base}/login/context?client_id=demo-require-prompt&organization=${org}`);
      await r.arrayBuffer();
    }
    latencies.push(performance.now() - started);
    statuses[r.status] = (statuses[r.status] || 0) + 1;
  }
}
await Promise.all(Array.from({ length: 16 }, (_, i) => client(i)));
clearInterval(sampler);
memory.push(rss());
portico.close();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
const unexpected = Object.entries(statuses).filter(([s]) => !['200', '201', '404', '429'].includes(s));
const report = {
  seconds, requests: latencies.length, rps: Math.round(latencies.length / seconds), statuses,
  latency_ms: { p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1).toFixed(2) },
  rss_kb: { first: memory[0], after_warmup: memory[1], last: memory.at(-1), samples: memory },
};
console.log(JSON.stringify(report, null, 2));
if (unexpected.length) {
  console.error('unexpected statuses:', unexpected);
  process.exit(1);
}
