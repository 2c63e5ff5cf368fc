// The benchmark (a command, not a test): node bench/run.mjs [--runs 7]
// Serves, in one run on this machine,
//   (a) Portico's organization login with the server-injected context,
//   (b) Portico as static files, the page fetching its context (one lookup),
//   (c) Auth0 Lock 11 rendering the equivalent login for one organization,
// and loads each in fresh headless Chromium contexts under DevTools-protocol
// throttling (150 ms RTT, 1.6 Mbps down, 4x CPU). Reports bytes over the wire
// (brotli where the server offers it), requests, sequential round trips (depth of the
// initiator chain), FCP, LCP and time until the first connection button is clickable,
// as medians. Then GET /login/context throughput against nginx serving the same JSON
// bytes as a static file, with wrk. Writes bench/results/latest.json and .md.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPortico, launchBrowser, root } from '../tests/e2e/harness.mjs';
import { wrk } from './wrk.mjs';
import { startLockServer, CALLBACK } from './lock-server.mjs';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const THROTTLE = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU = 4;
const out = path.join(root, 'bench/results');
mkdirSync(out, { recursive: true });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}


/** One throttled load in a fresh context; returns the measurements. */
async function measure(browser, url, clickableSelector) {
  const context = await browser.newContext({ viewport: { width: 720, height: 680 } });
  const page = await context.newPage();
  await page.addInitScript((selector) => {
    window.__m = {};
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') window.__m.fcp = e.startTime; })
      .observe({ type: 'paint', buffered: true });
    new PerformanceObserver((l) => { const es = l.getEntries(); window.__m.lcp = es[es.length - 1].startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true });
    const poll = () => {
      const b = [...document.querySelectorAll(selector)].find((el) => !el.disabled && el.offsetParent !== null && /google/i.test(el.textContent));
      if (b) window.__m.clickable = performance.now();
      else setTimeout(poll, 5);
    };
    poll();
  }, clickableSelector);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...THROTTLE });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  const requests = new Map();
  let bytes = 0;
  cdp.on('Network.requestWillBeSent', (e) => {
    const init = e.initiator || {};
    const from = init.url || init.stack?.callFrames?.[0]?.url || init.stack?.parent?.callFrames?.[0]?.url || null;
    requests.set(e.requestId, { url: e.request.url, from });
  });
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.goto(url);
  await page.waitForFunction(() => window.__m.clickable !== undefined, null, { timeout: 60_000 });
  await page.waitForTimeout(500);
  const m = await page.evaluate(() => window.__m);
  const list = [...requests.values()].filter((r) => !r.url.startsWith('data:'));
  const byUrl = new Map(list.map((r) => [r.url, r]));
  const depth = (r, seen = new Set()) => {
    if (!r.from || seen.has(r.url) || !byUrl.has(r.from)) return 1;
    seen.add(r.url);
    return 1 + depth(byUrl.get(r.from), seen);
  };
  const result = {
    fcp: m.fcp, lcp: m.lcp, clickable: m.clickable, bytes, requests: list.length,
    roundTrips: Math.max(...list.map((r) => depth(r))),
    // Portico's context lookup, or Lock's client configuration (/client/ID.js).
    lookups: list.filter((r) => r.url.includes('/login/context') || r.url.includes('/client/')).length,
    urls: list.map((r) => r.url),
  };
  await context.close();
  return result;
}

async function pageBench() {
  const portico = await startPortico({ extraArgs: ['--public-rate-limit', '1000000'] });
  const lockServer = await startLockServer(await portico.orgId('globex'));
  const q = `?client_id=demo-require-prompt&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid%20profile&state=st&organization=globex`;
  const modes = {
    'Portico, server-injected context (a)': { url: `${portico.base}/authorize${q}`, selector: 'button' },
    'Portico, static files + one lookup (b)': { url: `${portico.base}/index.html${q}`, selector: 'button' },
    'Auth0 Lock 11.35.1 (c)': { url: lockServer.url, selector: '.auth0-lock-social-button' },
  };
  const browser = await launchBrowser();
  const results = {};
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [name, { url, selector }] of Object.entries(modes)) {
        const r = await measure(browser, url, selector);
        (results[name] ||= []).push(r);
        process.stdout.write(`run ${i + 1}/${RUNS} ${name}: clickable ${r.clickable.toFixed(0)} ms, ${r.bytes} B, ${r.requests} req\n`);
      }
    }
  } finally {
    await browser.close();
    lockServer.close();
    portico.close();
  }
  const summary = {};
  for (const [name, runs] of Object.entries(results)) {
    summary[name] = {
      runs: runs.length,
      bytes: median(runs.map((r) => r.bytes)),
      requests: median(runs.map((r) => r.requests)),
      roundTrips: median(runs.map((r) => r.roundTrips)),
      lookups: median(runs.map((r) => r.lookups)),
      fcp: median(runs.map((r) => r.fcp)),
      lcp: median(runs.map((r) => r.lcp)),
      clickable: median(runs.map((r) => r.clickable)),
      urls: runs[0].urls,
    };
  }
  return summary;
}

async function throughputBench() {
  const portico = await startPortico({ extraArgs: ['--public-rate-limit', '100000000'] });
  const url = `${portico.base}/login/context?client_id=demo-require-prompt&organization=globex`;
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-nginx-'));
  writeFileSync(path.join(dir, 'context.json'), body);
  // nginx's workers run unprivileged: let them read the file.
  execFileSync('chmod', ['755', dir]);
  execFileSync('chmod', ['644', path.join(dir, 'context.json')]);
  const port = 18000 + Math.floor(Math.random() * 1000);
  writeFileSync(path.join(dir, 'nginx.conf'), `worker_processes 2; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 1024; }
http { access_log off; default_type application/json; server { listen 127.0.0.1:${port}; root ${dir}; } }`);
  const nginx = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  try {
    const p = wrk(url, ['-t2', '-c32', '-d10s']);
    const n = wrk(`http://127.0.0.1:${port}/context.json`, ['-t2', '-c32', '-d10s']);
    return { bytes: body.length, portico: p, nginx: n };
  } finally {
    nginx.kill('SIGTERM');
    portico.close();
  }
}

if (process.env.PORTICO_BENCH_DEBUG) {
  const srv = await startLockServer('org_debug');
  const browser = await launchBrowser();
  const page = await browser.newPage();
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.stack));
  page.on('requestfailed', (r) => console.log('failed:', r.url()));
  await page.goto(srv.url);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: path.join(out, 'lock-debug.png') });
  console.log(await page.evaluate(() => [...document.querySelectorAll('button, a')].map((b) => b.className + ' | ' + b.textContent.trim()).join('\n')));
  await browser.close();
  srv.close();
  process.exit(0);
}
const pages = await pageBench();
const throughput = await throughputBench();
const lockKey = Object.keys(pages).find((k) => k.includes('Lock'));
const lock = pages[lockKey];
const machine = `${execFileSync('nproc').toString().trim()} cores, ${execFileSync('chromium', ['--version']).toString().trim()}`;
const date = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(out, 'latest.json'), JSON.stringify({ date, machine, runs: RUNS, throttle: { ...THROTTLE, cpu: CPU }, pages, throughput }, null, 2));

const kb = (b) => (b / 1000).toFixed(1);
let md = `Measured ${date} with \`node bench/run.mjs\` (${RUNS} fresh runs each, medians; ${machine};\n150 ms RTT, 1.6 Mbps down, 4x CPU slowdown via the DevTools protocol).\n\n`;
md += '| page | bytes over the wire | requests | sequential round trips | config lookups | FCP | LCP | first button clickable | vs Lock |\n|---|---|---|---|---|---|---|---|---|\n';
for (const [name, s] of Object.entries(pages)) {
  md += `| ${name} | ${kb(s.bytes)} KB | ${s.requests} | ${s.roundTrips} | ${s.lookups} | ${s.fcp.toFixed(0)} ms | ${s.lcp.toFixed(0)} ms | ${s.clickable.toFixed(0)} ms | ${(lock.clickable / s.clickable).toFixed(1)}x |\n`;
}
md += `\n\`GET /login/context\` (${throughput.bytes} B of JSON), wrk -t2 -c32 -d10s on loopback:\n\n| server | requests/s | p99 latency | non-2xx |\n|---|---|---|---|\n`;
md += `| portico-server | ${throughput.portico.rps.toFixed(0)} | ${throughput.portico.p99ms.toFixed(2)} ms | ${throughput.portico.non2xx} |\n`;
md += `| nginx, same bytes as a static file | ${throughput.nginx.rps.toFixed(0)} | ${throughput.nginx.p99ms.toFixed(2)} ms | ${throughput.nginx.non2xx} |\n`;
md += `| ratio portico / nginx | ${(throughput.portico.rps / throughput.nginx.rps).toFixed(2)} | | |\n`;
writeFileSync(path.join(out, 'latest.md'), md);
console.log('\n' + md);
