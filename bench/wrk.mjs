// wrk on loopback, its answer read into numbers: requests/s, p99 latency in ms, and
// the count of non-2xx/3xx responses. `args` are wrk's own options before the URL.
import { execFileSync } from 'node:child_process';

export function wrk(url, args) {
  const text = execFileSync('wrk', [...args, '--latency', url]).toString();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)[1]);
  const p99raw = /99%\s+([\d.]+)(us|ms|s)/.exec(text);
  const p99 = Number(p99raw[1]) * { us: 0.001, ms: 1, s: 1000 }[p99raw[2]];
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? '0');
  return { rps, p99ms: p99, non2xx };
}
