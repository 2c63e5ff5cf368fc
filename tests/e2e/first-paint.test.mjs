// docs/design.md#first-paint end to end: the server renders the screen, so the login works with
// JavaScript off (links and forms answered by the server), and with it on the
// WebAssembly hydrates that same screen: no DOM change, no shift, what was typed and
// the focus kept. Against portico-server with the demo tenant and a real OpenID
// provider, as flow.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startWorld, launchBrowser, newPage, authorizeQuery, SENT, ready, root } from '../support/harness.mjs';

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

const url = (client, extra = '', host = null) => {
  const base = host ? `http://${host}:${world.portico.port}` : world.portico.base;
  return `${base}/authorize${authorizeQuery(client, world.callback.url, extra)}`;
};

function assertForwarded(params, client, { organization, connection }) {
  assert.equal(params.get('client_id'), client);
  for (const [k, v] of Object.entries(SENT)) assert.equal(params.get(k), v, k);
  assert.equal(params.get('redirect_uri'), world.callback.url);
  assert.equal(params.get('organization'), organization);
  assert.equal(params.get('connection'), connection);
  for (const k of new Set(params.keys())) assert.equal(params.getAll(k).length, 1, `${k} appears once`);
}

/** A page with JavaScript off: what a user without a script, or before it, has. */
async function noScript(options = {}) {
  const p = await newPage(browser, { javaScriptEnabled: false, ...options });
  // Nothing of the page's own may run: not even its loader.
  p.page.on('request', (r) => {
    if (/\.wasm$/.test(r.url())) p.problems.push(`fetched ${r.url()} with JavaScript off`);
  });
  return p;
}

const screens = path.join(root, 'docs/screens');

test('no JavaScript: the prompt refuses a bad name in place, then leads to the themed login and on to the provider', async () => {
  const { page, problems, context } = await noScript();
  const before = world.provider.received.length;
  await page.goto(url('demo-require-prompt'));
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  const field = page.getByLabel('Organization name or email');
  await field.fill('Acme Corp');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Continue', exact: true }).click(),
  ]);
  assert.equal(refused.status(), 422);
  await page.getByText("Organization names use only lowercase letters, digits, '_' and '-'.").waitFor();
  assert.equal(await field.inputValue(), 'Acme Corp', 'what was typed is still there');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  // A valid name that names nothing: the prompt, marked, at the address with it.
  await field.fill('nope');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByText('The organization you entered is invalid').waitFor();
  assert.match(page.url(), /[?&]organization=nope$/);
  await field.fill('Globex');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  assert.match(page.url(), /[?&]organization=globex$/);
  // Themed by the server: Globex's yellow and dark page, no script involved.
  const primary = page.getByRole('button', { name: 'Continue with Email and password' });
  assert.equal(await primary.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 212, 0)');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(34, 37, 43)');
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  await page.waitForURL(/\/interaction\//);
  assert.equal(world.provider.received.length, before + 1);
  assertForwarded(world.provider.received.at(-1), 'demo-require-prompt', { organization: await world.portico.orgId('globex'), connection: 'google-oauth2' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('no JavaScript: an email finds its organization, and the database connection sends it as login_hint', async () => {
  const { page, problems, context } = await noScript();
  await page.goto(url('demo-require-prompt'));
  await page.getByLabel('Organization name or email').fill('Jane@Globex.test');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  assert.match(page.url(), /&organization=globex&login_hint=jane%40globex\.test$/);
  await page.getByLabel('Email address').fill(' jane.doe@globex.test ');
  await page.getByRole('button', { name: 'Continue with Email and password' }).click();
  await page.waitForURL(/\/interaction\//);
  const got = world.provider.received.at(-1);
  assertForwarded(got, 'demo-require-prompt', { organization: await world.portico.orgId('globex'), connection: 'Username-Password-Authentication' });
  assert.equal(got.get('login_hint'), 'jane.doe@globex.test');
  assert.deepEqual(problems, []);
  await context.close();
});

test('no JavaScript: a subdomain, "Not your organization?", and an error redirect to the application', async () => {
  const { page, problems, context } = await noScript();
  await page.goto(url('demo-require-prompt', '', 'globex.login.test'));
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  await page.getByRole('button', { name: 'Not your organization?' }).click();
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  // require + no_prompt without an organization: back to the application with the
  // error, by the server alone.
  const before = world.callback.received.length;
  await page.goto(url('demo-require-no-prompt'));
  await page.waitForURL(/\/callback\?/);
  const got = world.callback.received.at(-1);
  assert.equal(world.callback.received.length, before + 1);
  assert.equal(got.searchParams.get('error'), 'invalid_request');
  assert.equal(got.searchParams.get('state'), SENT.state);
  assert.deepEqual(problems, []);
  await context.close();
});

test('no JavaScript: screenshots at 320 px and on a desktop, light and dark', async () => {
  for (const [name, target] of [['prompt', url('demo-require-prompt')], ['globex', url('demo-require-prompt', '&organization=globex')]]) {
    for (const scheme of ['light', 'dark']) {
      for (const [size, viewport] of [['320', { width: 320, height: 640 }], ['desktop', { width: 1280, height: 800 }]]) {
        const { page, problems, context } = await noScript({ viewport, colorScheme: scheme });
        await page.goto(target);
        await page.locator('.card__title').waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
        assert.equal(overflow, false, `${name} ${scheme} ${size}: no horizontal scroll`);
        await page.screenshot({ path: path.join(screens, `22-no-js-${name}-${scheme}-${size}.png`) });
        assert.deepEqual(problems, []);
        await context.close();
      }
    }
  }
});

/**
 * Loads `target` with the wasm held back until `release()`; `snapshot()` is the
 * root's HTML and the boxes of everything in it.
 */
async function held(target, options = {}) {
  const p = await newPage(browser, options);
  let release;
  const released = new Promise((r) => (release = r));
  await p.page.route(/\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  // Every layout shift from the first paint on.
  await p.page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await p.page.goto(target);
  const snapshot = () => p.page.evaluate(() => {
    const root = document.getElementById('portico-root');
    // What is on screen: the inside of a closed <details> (the language menu's form) is
    // not, and Chrome measures it lazily, so it has no box to compare.
    const boxes = [...root.querySelectorAll('*')].map((e) => {
      if (!e.checkVisibility()) return `${e.tagName} not rendered`;
      const b = e.getBoundingClientRect();
      return `${e.tagName} ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`;
    });
    return { html: root.innerHTML, boxes };
  });
  return { ...p, release, snapshot };
}

/**
 * Releases the held wasm and checks that hydrating the server's screen changed
 * nothing: the root's HTML, every element's box, no layout shift since the first
 * paint, no console error.
 */
async function hydratesUnchanged({ page, release, snapshot, problems }) {
  const before = await snapshot();
  assert.ok(before.html.startsWith('<main'), 'the server rendered the screen');
  release();
  await ready(page);
  await page.waitForTimeout(200);
  const after = await snapshot();
  assert.equal(after.html, before.html, 'hydrating changed nothing in the DOM');
  assert.deepEqual(after.boxes, before.boxes, 'nothing moved');
  assert.deepEqual(await page.evaluate(() => window.__shifts), [], 'CLS 0 from the first paint through hydration');
  assert.deepEqual(problems, []);
}

for (const [row, client, extra, heading, options] of [
  ['the prompt', 'demo-require-prompt', '', 'Enter your organization', {}],
  ['the prompt, an unknown organization', 'demo-require-prompt', '&organization=nope', 'Enter your organization', {}],
  ['the organization login (themed)', 'demo-require-prompt', '&organization=globex', 'Log in to Globex to continue to Portico Demo', {}],
  ['the personal login (allow)', 'demo-allow', '', null, {}],
  ['the organization login in Arabic, dark', 'demo-require-prompt', '&organization=globex&ui_locales=ar', null, { colorScheme: 'dark' }],
]) {
  test(`hydration of ${row}: no console error, no DOM change, no shift`, async () => {
    const { page, problems, context, release, snapshot } = await held(url(client, extra), options);
    if (heading) await page.getByRole('heading', { name: heading }).waitFor();
    else await page.locator('.card__title').waitFor();
    await hydratesUnchanged({ page, release, snapshot, problems });
    await context.close();
  });
}

test('typed before the wasm arrives: text, caret and focus survive hydration, then the page handles the form itself', async () => {
  const { page, problems, requests, context, release } = await held(url('demo-require-prompt'));
  const field = page.getByLabel('Organization name or email');
  await field.click();
  await page.keyboard.type('globx');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('e');
  release();
  await ready(page);
  await page.waitForTimeout(200);
  const state = await page.evaluate(() => {
    const f = document.getElementById('organization');
    return { value: f.value, caret: f.selectionStart, focused: document.activeElement === f };
  });
  assert.deepEqual(state, { value: 'globex', caret: 5, focused: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  assert.deepEqual(requests.filter((r) => r.method === 'POST'), [], 'the script answered, not the server');
  assert.ok(requests.some((r) => r.url.includes('/login/context')), 'the page looked the organization up itself');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a logo that failed before the wasm arrived gives way to the initial once it has', async () => {
  const { page, problems, context, release } = await held(url('demo-require-prompt', '&organization=globex'));
  await context.route(/\/demo\/logos\//, (route) => route.abort('failed'));
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('.card__title').waitFor();
  await page.waitForFunction(() => document.querySelector('.logo__img').complete);
  release();
  await ready(page);
  await page.locator('.logo__initial').waitFor({ state: 'visible' });
  assert.equal(await page.locator('.logo__img').isVisible(), false, 'no broken image');
  assert.deepEqual(problems.filter((p) => !/ERR_FAILED|logos/.test(p)), []);
  await context.close();
});

test('hydration of the prompt the server answered a form with: the refused name', async () => {
  const { page, problems, context, release, snapshot } = await held(url('demo-require-prompt'));
  const field = page.getByLabel('Organization name or email');
  await field.fill('Acme Corp');
  // Enter before the wasm: the browser posts the form, the server answers 422.
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), field.press('Enter')]);
  await page.getByText("Organization names use only lowercase letters, digits, '_' and '-'.").waitFor();
  await hydratesUnchanged({ page, release, snapshot, problems });
  assert.equal(await field.inputValue(), 'Acme Corp');
  // From here the script answers: a good name looks up without a POST.
  await field.fill('globex');
  await field.press('Enter');
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  await context.close();
});

test('hydration of the prompt the server answered a form with: discovery\'s choices', async () => {
  const { api } = world.portico;
  const conn = await api('POST', '/connections', {
    body: { name: 'shared-sso', strategy: 'okta', display_name: 'Shared SSO', options: { domain_aliases: ['shared.test'] } },
    scopes: 'create:connections',
  });
  assert.equal(conn.status, 201, JSON.stringify(conn.body));
  for (const [name, display_name] of [['north', 'North Wing'], ['south', 'South Wing']]) {
    const r = await api('POST', '/organizations', {
      body: { name, display_name, enabled_connections: [{ connection_id: conn.body.id }] },
      scopes: 'create:organizations create:organization_connections',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const { page, problems, context, release, snapshot } = await held(url('demo-require-prompt'));
  const field = page.getByLabel('Organization name or email');
  await field.fill('jane@shared.test');
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), field.press('Enter')]);
  await page.getByRole('button', { name: 'South Wing' }).waitFor();
  await hydratesUnchanged({ page, release, snapshot, problems });
  // The script now answers the choice: South, with the email as login_hint.
  await page.getByRole('button', { name: 'South Wing' }).click();
  await page.waitForURL(/\/interaction\//);
  const got = world.provider.received.at(-1);
  assert.equal(got.get('organization'), await world.portico.orgId('south'));
  assert.equal(got.get('login_hint'), 'jane@shared.test');
  await context.close();
});
