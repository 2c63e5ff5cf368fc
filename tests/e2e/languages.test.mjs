// docs/design.md#languages end to end: the language chosen per request (ui_locales, Accept-Language),
// forwarded unchanged to the authorization server, the language menu keeping every
// authorization parameter byte for byte, and a right-to-left layout that is mirrored
// (asserted by geometry, not only by the attribute). Screenshots at 320 px of the
// prompt and the themed login in the longest and the right-to-left languages.
// Run: node --test tests/e2e/ (after scripts/build-page.sh and
// cargo build --release -p portico-server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startWorld, launchBrowser, newPage, authorizeQuery, shot, root, SENT } from '../support/harness.mjs';

let world;
let browser;

before(async () => {
  world = await startWorld();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  world?.close();
});

const file = (tag) => JSON.parse(readFileSync(path.join(root, 'i18n', `${tag}.json`), 'utf8'));
const fill = (template, args) => template.replace(/\{(\w+)\}/g, (m, k) => args[k] ?? m);
const url = (extra = '', client = 'demo-require-prompt') =>
  `${world.portico.base}/authorize${authorizeQuery(client, world.callback.url, extra)}`;

/** The raw `k=v` pairs of a query, in order, as sent (no decoding). */
const rawPairs = (u) => new URL(u).search.slice(1).split('&');

test('ui_locales=ja: Japanese from the first byte, and ui_locales reaches the authorization server unchanged', async () => {
  const ja = file('ja');
  const { page, problems, context } = await newPage(browser, { extraHTTPHeaders: { 'Accept-Language': 'de' } });
  await page.goto(url('&ui_locales=ja'));
  await page.getByRole('heading', { name: ja.prompt_title }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  await page.getByLabel(ja.prompt_label_name_or_email).fill('nope');
  await page.getByRole('button', { name: ja.continue_button, exact: true }).click();
  await page.getByText(ja.invalid_organization).waitFor();
  await page.getByLabel(ja.prompt_label_name_or_email).fill('globex');
  await page.getByRole('button', { name: ja.continue_button, exact: true }).click();
  await page.getByRole('heading', { name: fill(ja.organization_login_title, { organization: 'Globex', application: 'Portico Demo' }) }).waitFor();
  await page.getByRole('button', { name: fill(ja.continue_with, { connection: 'Google' }) }).click();
  await page.waitForURL(/\/interaction\//);
  const got = world.provider.received.at(-1);
  assert.equal(got.get('ui_locales'), 'ja');
  for (const [k, v] of Object.entries(SENT)) assert.equal(got.get(k), v, k);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the language menu reloads the screen in another language, every parameter byte for byte', async () => {
  const fr = file('fr');
  const { page, problems, context } = await newPage(browser);
  const start = url('&organization=globex');
  await page.goto(start);
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  const menu = page.getByRole('navigation', { name: 'Language' });
  await menu.locator('summary').click(); // opens the list
  await shot(page, '21-language-menu-open');
  await menu.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: fill(fr.organization_login_title, { organization: 'Globex', application: 'Portico Demo' }) }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  // Every pair as the application sent it, in its place; ui_locales added at the end.
  // (The menu is a GET form carrying the request once: the browser encodes the fields
  // as the application's URLSearchParams did, so even the raw bytes match here; in
  // general each value is the same after one decode.)
  assert.deepEqual(rawPairs(page.url()), [...rawPairs(start), 'ui_locales=fr']);
  for (const k of ['state', 'nonce', 'code_challenge']) {
    assert.ok(rawPairs(page.url()).includes(rawPairs(start).find((p) => p.startsWith(`${k}=`))), k);
  }
  // The menu now names French the current language; on to the provider in French.
  const current = page.getByRole('navigation', { name: fr.language_menu }).locator('button[aria-current="true"]');
  assert.equal(await current.textContent(), 'Français');
  await page.getByRole('button', { name: fill(fr.continue_with, { connection: 'Google' }) }).click();
  await page.waitForURL(/\/interaction\//);
  const got = world.provider.received.at(-1);
  assert.equal(got.get('ui_locales'), 'fr');
  for (const [k, v] of Object.entries(SENT)) assert.equal(got.get(k), v, k);
  assert.deepEqual(problems, []);
  await context.close();
});

/** The boxes of a connection button's icon and label. */
async function iconAndLabel(page, name) {
  const button = page.getByRole('button', { name });
  const icon = await button.locator('.button__icon:visible').first().boundingBox();
  const label = await button.locator('span').last().boundingBox();
  return { icon, label, button: await button.boundingBox() };
}

test('Accept-Language: he gives a mirrored layout, not only dir=rtl', async () => {
  const he = file('he');
  const boxes = {};
  for (const [tag, headers] of [['en', {}], ['he', { 'Accept-Language': 'he-IL,he;q=0.9,en;q=0.5' }]]) {
    const t = file(tag);
    const { page, problems, context } = await newPage(browser, { extraHTTPHeaders: headers, viewport: { width: 320, height: 640 } });
    await page.goto(url('&organization=globex'));
    await page.getByRole('heading', { name: fill(t.organization_login_title, { organization: 'Globex', application: 'Portico Demo' }) }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), tag === 'he' ? 'rtl' : 'ltr');
    boxes[tag] = await iconAndLabel(page, fill(t.continue_with, { connection: 'Google' }));
    // The field's label starts where the field starts: at the right edge in Hebrew.
    const label = await page.getByText(t.email_address, { exact: true }).boundingBox();
    const field = await page.locator('input[type=email]').boundingBox();
    boxes[tag].fieldLabel = { label, field };
    assert.deepEqual(problems, []);
    await context.close();
  }
  const { en } = boxes;
  const rtl = boxes.he;
  // English: icon left of its label; Hebrew: right of it.
  assert.ok(en.icon.x + en.icon.width <= en.label.x + 1, JSON.stringify(en));
  assert.ok(rtl.icon.x >= rtl.label.x + rtl.label.width - 1, JSON.stringify(rtl));
  // The field label hugs the field's start edge.
  assert.ok(Math.abs(en.fieldLabel.label.x - en.fieldLabel.field.x) < 2);
  const right = (b) => b.x + b.width;
  assert.ok(Math.abs(right(rtl.fieldLabel.label) - right(rtl.fieldLabel.field)) < 2, JSON.stringify(rtl.fieldLabel));
  assert.ok(he.organization_login_title.length > 0);
});

test('screenshots at 320 px: the prompt and the themed login in ar, he, ja and de; nothing clipped or overlapping', async () => {
  for (const tag of ['ar', 'he', 'ja', 'de']) {
    const t = file(tag);
    for (const [name, extra, heading] of [
      ['prompt', '', t.prompt_title],
      ['themed', '&organization=globex', fill(t.organization_login_title, { organization: 'Globex', application: 'Portico Demo' })],
    ]) {
      const { page, problems, context } = await newPage(browser, { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      await page.goto(url(`${extra}&ui_locales=${tag}`));
      await page.getByRole('heading', { name: heading }).waitFor();
      await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))));
      // No horizontal scroll, and every control inside the viewport and apart.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), `${tag} ${name}: horizontal scroll`);
      const controls = await page.locator('.card__body button, .card__body input, .card__title').evaluateAll((els) =>
        els.map((e) => { const r = e.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom, clipped: e.scrollWidth > e.clientWidth + 1 }; }));
      for (const c of controls) {
        assert.ok(c.l >= 0 && c.r <= 320, `${tag} ${name}: a control outside the viewport ${JSON.stringify(c)}`);
        assert.ok(!c.clipped, `${tag} ${name}: a control's text is clipped ${JSON.stringify(c)}`);
      }
      for (let i = 0; i < controls.length; i++) {
        for (let j = i + 1; j < controls.length; j++) {
          const [a, b] = [controls[i], controls[j]];
          const overlap = a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;
          assert.ok(!overlap, `${tag} ${name}: controls overlap ${JSON.stringify([a, b])}`);
        }
      }
      await shot(page, `20-${tag}-${name}-320`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});
