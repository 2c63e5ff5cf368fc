// The benchmark (a command, not a test): node bench/run.mjs [--runs 7]
// Serves, in one run on this machine,
//   (a) Portico's organization login as the server renders it (docs/design.md#first-paint), hydrated,
//   (b) Portico as static files, the page fetching its context (one lookup),
//   (c) Auth0 Lock 11 rendering the equivalent login for one organization,
//   (d) the no-JS floor: (a)'s HTML and CSS with every script removed, served by a
//       little proxy in front of the same server (its stylesheet and logo),
// and loads each in fresh headless Chromium contexts under DevTools-protocol
// throttling (150 ms RTT, 1.6 Mbps down, 4x CPU). Reports bytes over the wire
// (brotli where the server offers it), requests, sequential round trips (depth of the
// initiator chain), FCP, LCP, time until the first connection button is clickable (a
// link counts once it is in the DOM, visible and enabled), until the wasm has started
// (hydrated), and the layout shift from the first paint until then (CLS), as medians. Then GET /login/context throughput against nginx serving the same JSON
// bytes as a static file, with wrk. Writes bench/results/latest.json and .md.
import { spawn, execFileSync } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPortico, launchBrowser, root } from '../tests/support/harness.mjs';
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
async function measure(browser, url, clickableSelector, scripted) {
  const context = await browser.newContext({ viewport: { width: 720, height: 680 } });
  const page = await context.newPage();
  await page.addInitScript((selector) => {
    window.__m = {};
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') window.__m.fcp = e.startTime; })
      .observe({ type: 'paint', buffered: true });
    new PerformanceObserver((l) => { const es = l.getEntries(); window.__m.lcp = es[es.length - 1].startTime; })
      .observe({ type: 'largest-contentful-paint', buffered: true });
    window.__m.cls = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__m.cls += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
    const started = () => {
      if (window.wasmBindings !== undefined) window.__m.hydrated = performance.now();
      else setTimeout(started, 5);
    };
    started();
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
  if (scripted === 'portico') await page.waitForFunction(() => window.__m.hydrated !== undefined, null, { timeout: 60_000 });
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
    fcp: m.fcp, lcp: m.lcp, clickable: m.clickable, hydrated: m.hydrated ?? null, cls: m.cls, bytes, requests: list.length,
    roundTrips: Math.max(...list.map((r) => depth(r))),
    // Portico's context lookup, or Lock's client configuration (/client/ID.js).
    lookups: list.filter((r) => r.url.includes('/login/context') || r.url.includes('/client/')).length,
    urls: list.map((r) => r.url),
  };
  await context.close();
  return result;
}

/**
 * The no-JS floor (d): the HTML portico-server renders for `url`, every script
 * removed (the loader, its preloads, the injected JSON), brotli as the server sends
 * it; everything else (stylesheet, logos) proxied to the server itself.
 */
async function startFloor(portico, url) {
  const html = (await (await fetch(url)).text())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<link\b[^>]*rel="?(modulepreload|preload)"?[^>]*>/g, '');
  if (/<script/.test(html)) throw new Error('the floor still has a script');
  const body = zlib.brotliCompressSync(Buffer.from(html), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
  const target = new URL(portico.base);
  const srv = http.createServer((req, res) => {
    if (req.url.startsWith('/floor')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br', 'cache-control': 'no-store' });
      return res.end(body);
    }
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}/floor`, close: () => srv.close() };
}

async function pageBench() {
  const portico = await startPortico({ extraArgs: ['--public-rate-limit', '1000000'] });
  const lockServer = await startLockServer(await portico.orgId('globex'));
  const q = `?client_id=demo-require-prompt&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid%20profile&state=st&organization=globex`;
  const floor = await startFloor(portico, `${portico.base}/authorize${q}`);
  // Portico's connections are links (they work without a script): any visible,
  // enabled element counts.
  const modes = {
    'Portico, server-rendered and hydrated (a)': { url: `${portico.base}/authorize${q}`, selector: 'a, button', scripted: 'portico' },
    'Portico, static files + one lookup (b)': { url: `${portico.base}/index.html${q}`, selector: 'a, button', scripted: 'portico' },
    'Auth0 Lock 11.35.1 (c)': { url: lockServer.url, selector: '.auth0-lock-social-button' },
    'No-JS floor: (a) without any script (d)': { url: floor.url, selector: 'a, button' },
  };
  const browser = await launchBrowser();
  const results = {};
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [name, { url, selector, scripted }] of Object.entries(modes)) {
        const r = await measure(browser, url, selector, scripted);
        (results[name] ||= []).push(r);
        process.stdout.write(`run ${i + 1}/${RUNS} ${name}: clickable ${r.clickable.toFixed(0)} ms, ${r.bytes} B, ${r.requests} req\n`);
      }
    }
  } finally {
    await browser.close();
    lockServer.close();
    floor.close();
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
      hydrated: runs[0].hydrated === null ? null : median(runs.map((r) => r.hydrated)),
      cls: Math.max(...runs.map((r) => r.cls)),
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
const floorKey = Object.keys(pages).find((k) => k.includes('floor'));
const floorRow = pages[floorKey];
md += '| page | bytes over the wire | requests | sequential round trips | config lookups | FCP | LCP | first button clickable | vs Lock | vs floor (LCP / clickable) | script started (hydrated) | CLS (worst run) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n';
const signed = (ms) => `${ms >= 0 ? '+' : ''}${ms.toFixed(0)} ms`;
for (const [name, s] of Object.entries(pages)) {
  const vsFloor = name === floorKey || name === lockKey ? '' : `${signed(s.lcp - floorRow.lcp)} / ${signed(s.clickable - floorRow.clickable)}`;
  md += `| ${name} | ${kb(s.bytes)} KB | ${s.requests} | ${s.roundTrips} | ${s.lookups} | ${s.fcp.toFixed(0)} ms | ${s.lcp.toFixed(0)} ms | ${s.clickable.toFixed(0)} ms | ${(lock.clickable / s.clickable).toFixed(1)}x | ${vsFloor} | ${s.hydrated === null ? '' : `${s.hydrated.toFixed(0)} ms`} | ${s.cls.toFixed(4)} |\n`;
}
md += `\n\`GET /login/context\` (${throughput.bytes} B of JSON), wrk -t2 -c32 -d10s on loopback:\n\n| server | requests/s | p99 latency | non-2xx |\n|---|---|---|---|\n`;
md += `| portico-server | ${throughput.portico.rps.toFixed(0)} | ${throughput.portico.p99ms.toFixed(2)} ms | ${throughput.portico.non2xx} |\n`;
md += `| nginx, same bytes as a static file | ${throughput.nginx.rps.toFixed(0)} | ${throughput.nginx.p99ms.toFixed(2)} ms | ${throughput.nginx.non2xx} |\n`;
md += `| ratio portico / nginx | ${(throughput.portico.rps / throughput.nginx.rps).toFixed(2)} | | |\n`;
writeFileSync(path.join(out, 'latest.md'), md);
console.log('\n' + md);
