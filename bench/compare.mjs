// Comparison pictures (a command, not a test): node bench/compare.mjs
// Portico beside Auth0 Lock 11 (bench/build-lock.sh) at 320, 768 and 1280 px, light
// and dark, for the organization prompt and Globex's themed login. Lock has no
// organization prompt (Auth0's prompt lives in Universal Login, not in Lock), so the
// prompt pictures show Lock's login without an organization beside it. Writes
// docs/screens/compare/{screen}-{width}-{scheme}.png, each one picture with Portico on
// the left and Lock on the right.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startPortico, launchBrowser, root, authorizeQuery } from '../tests/support/harness.mjs';
import { startLockServer, CALLBACK } from './lock-server.mjs';

const out = path.join(root, 'docs/screens/compare');
mkdirSync(out, { recursive: true });
const portico = await startPortico({ callback: CALLBACK });
const browser = await launchBrowser();
const lock = await startLockServer(await portico.orgId('globex'));

const screens = {
  prompt: { portico: `${portico.base}/authorize${authorizeQuery('demo-require-prompt', CALLBACK)}`, ready: 'Enter your organization' },
  themed: { portico: `${portico.base}/authorize${authorizeQuery('demo-require-prompt', CALLBACK, '&organization=globex')}`, ready: 'Log in to Globex' },
};

async function shoot(url, width, scheme, ready) {
  const mobile = width < 480 ? { isMobile: true, hasTouch: true } : {};
  const context = await browser.newContext({ viewport: { width, height: width < 480 ? 640 : 800 }, colorScheme: scheme, ...mobile });
  const page = await context.newPage();
  await page.goto(url);
  await ready(page);
  await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))));
  await page.waitForTimeout(300);
  const png = await page.screenshot();
  await context.close();
  return png.toString('base64');
}

for (const [name, s] of Object.entries(screens)) {
  for (const width of [320, 768, 1280]) {
    for (const scheme of ['light', 'dark']) {
      const left = await shoot(s.portico, width, scheme, (p) => p.getByRole('heading', { name: s.ready }).waitFor());
      const right = await shoot(lock.url, width, scheme, async (p) => {
        await p.locator('.auth0-lock-social-button').first().waitFor();
        await p.waitForTimeout(1000); // Lock's opening animation
      });
      // Both pictures side by side, labelled, as one image.
      const context = await browser.newContext({ viewport: { width: width * 2 + 48, height: 200 } });
      const page = await context.newPage();
      await page.setContent(`<body style="margin:0;font:600 16px system-ui;background:#888;display:flex;gap:16px;padding:16px">
        <figure style="margin:0"><figcaption style="padding:0 0 8px">Portico</figcaption><img src="data:image/png;base64,${left}"></figure>
        <figure style="margin:0"><figcaption style="padding:0 0 8px">Auth0 Lock 11</figcaption><img src="data:image/png;base64,${right}"></figure></body>`);
      await page.screenshot({ path: path.join(out, `${name}-${width}-${scheme}.png`), fullPage: true });
      await context.close();
      console.log(`${name}-${width}-${scheme}.png`);
    }
  }
}
await browser.close();
lock.close();
portico.close();
