// Takes a screenshot of a URL in headless Chromium: node tests/e2e/shot.mjs URL OUT.png [dark]
import { chromium } from 'playwright-core';
const [url, out, scheme] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
const page = await browser.newPage({ viewport: { width: 720, height: 640 }, colorScheme: scheme === 'dark' ? 'dark' : 'light' });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.route('https://logos.portico.test/**', (route) => route.fulfill({ path: new URL('../../docs/logos/' + route.request().url().split('/').pop(), import.meta.url).pathname, contentType: 'image/svg+xml' }));
await page.goto(url);
await page.waitForTimeout(1500);
await page.screenshot({ path: out });
console.log('url now:', page.url());
await browser.close();
