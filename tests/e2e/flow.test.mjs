// The whole flow in headless Chromium against portico-server with the demo tenant,
// the release build of the page, and a real OpenID provider as the authorization
// server. Run: node --test tests/e2e/ (after scripts/build-page.sh and
// cargo build --release -p portico-server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, startPortico, launchBrowser, newPage, authorizeQuery, shot, until, SENT } from '../support/harness.mjs';

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


function assertForwarded(params, { organization, connection }) {
  assert.equal(params.get('client_id'), 'demo-require-prompt');
  for (const [k, v] of Object.entries(SENT)) assert.equal(params.get(k), v, k);
  assert.equal(params.get('redirect_uri'), world.callback.url);
  assert.equal(params.get('organization'), organization);
  assert.equal(params.get('connection'), connection);
  for (const k of new Set(params.keys())) assert.equal(params.getAll(k).length, 1, `${k} appears once`);
}


test('prompt: unknown name, then the right one, themed, on to the provider', async () => {
  const { page, problems, context } = await newPage(browser);
  const before = world.provider.received.length;
  await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url)}`);
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  await shot(page, '01-prompt');
  await page.getByLabel('Organization name or email').fill('nope');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByText('The organization you entered is invalid').waitFor();
  await shot(page, '02-prompt-invalid');
  await page.getByLabel('Organization name or email').fill('Globex');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  assert.match(page.url(), /[?&]organization=globex$/);
  const logo = page.getByRole('img', { name: 'Globex' });
  await logo.waitFor();
  assert.equal(await logo.getAttribute('referrerpolicy'), 'no-referrer');
  const primary = page.getByRole('button', { name: 'Continue with Email and password' });
  assert.equal(await primary.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(255, 212, 0)');
  assert.equal(await primary.evaluate((b) => getComputedStyle(b).color), 'rgb(0, 0, 0)');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(34, 37, 43)');
  await shot(page, '03-organization-login-globex');
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  await page.waitForURL(/\/interaction\//);
  assert.ok(await page.locator('form').count() > 0, 'the provider shows its own login page');
  await shot(page, '04-provider-login');
  assert.equal(world.provider.received.length, before + 1);
  assertForwarded(world.provider.received.at(-1), { organization: await world.portico.orgId('globex'), connection: 'google-oauth2' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('subdomain: themed with zero lookups, then the database connection with login_hint', async () => {
  const { page, problems, requests, context } = await newPage(browser);
  const url = `http://globex.login.test:${world.portico.port}/${authorizeQuery('demo-require-prompt', world.callback.url)}`;
  await page.goto(url);
  await page.getByRole('heading', { name: 'Log in to Globex to continue to Portico Demo' }).waitFor();
  assert.deepEqual(requests.filter((r) => r.url.includes('/login/')).map((r) => r.url), [], 'no lookup before the themed render');
  await page.getByLabel('Email address').fill('jane@globex.test');
  await page.getByRole('button', { name: 'Continue with Email and password' }).click();
  await page.waitForURL(/\/interaction\//);
  const got = world.provider.received.at(-1);
  assertForwarded(got, { organization: await world.portico.orgId('globex'), connection: 'Username-Password-Authentication' });
  assert.equal(got.get('login_hint'), 'jane@globex.test');
  assert.deepEqual(problems, []);
  await context.close();
});

test('require + no_prompt without organization: the application gets the error and its state', async () => {
  const { page, problems, context } = await newPage(browser);
  const before = world.callback.received.length;
  await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-no-prompt', world.callback.url)}`);
  await page.getByRole('heading', { name: 'Back at the application' }).waitFor();
  const got = world.callback.received.at(-1);
  assert.equal(world.callback.received.length, before + 1);
  assert.equal(got.searchParams.get('error'), 'invalid_request');
  assert.equal(got.searchParams.get('error_description'), 'parameter organization is required for this client');
  assert.equal(got.searchParams.get('state'), SENT.state);
  assert.deepEqual(problems, []);
  await context.close();
});

// docs/design.md#the-login-flow: error redirects go "in the query, or in the fragment or as an auto-posted
// form when the request's response_mode is fragment or form_post" — from the server's
// entry and from the page served as static files (which hands form_post to the server).
for (const mode of ['fragment', 'form_post']) {
  for (const entry of ['/authorize', '/index.html']) {
    test(`response_mode=${mode} through ${entry}: the error arrives the way the application asked`, async () => {
      const { page, problems, context } = await newPage(browser);
      const before = world.callback.received.length;
      await page.goto(`${world.portico.base}${entry}${authorizeQuery('demo-require-no-prompt', world.callback.url, `&response_mode=${mode}`)}`);
      await page.getByRole('heading', { name: 'Back at the application' }).waitFor();
      const got = await until(() => world.callback.received.slice(before).find((u) => u.via === mode), {
        what: `a ${mode} response at the application (got: ${world.callback.received.slice(before).map(String)})`,
        timeout: 5000,
        every: 100,
      });
      assert.equal(got.searchParams.get('error'), 'invalid_request');
      assert.equal(got.searchParams.get('error_description'), 'parameter organization is required for this client');
      assert.equal(got.searchParams.get('state'), SENT.state);
      // Nothing in the query: the fields went only the way the application asked.
      assert.ok(world.callback.received.slice(before).every((u) => !u.searchParams.has('error') || u.via === mode));
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('an unregistered redirect_uri: an error page, and nothing is sent toward it', async () => {
  const { page, requests, context } = await newPage(browser);
  const evil = world.callback.url.replace('/callback', '/evil');
  const before = world.callback.received.length;
  const response = await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-no-prompt', evil)}`);
  assert.equal(response.status(), 400);
  await page.getByText('not one of its registered callback URLs').waitFor();
  await shot(page, '05-unregistered-redirect-uri');
  assert.equal(world.callback.received.length, before);
  assert.ok(!requests.some((r) => r.url.startsWith(evil)));
  await context.close();
});

test('single enterprise connection: one redirect; Back gives a usable page, not a second redirect', async () => {
  const { page, problems, context } = await newPage(browser);
  const before = world.provider.received.length;
  await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=acme')}`);
  await page.waitForURL(/\/interaction\//);
  assert.equal(world.provider.received.length, before + 1);
  assertForwarded(world.provider.received.at(-1), { organization: await world.portico.orgId('acme'), connection: 'acme-okta' });
  await page.goBack();
  const button = page.getByRole('button', { name: 'Continue with Acme Okta' });
  await button.waitFor();
  await page.waitForTimeout(500);
  assert.ok(await button.isEnabled());
  assert.match(page.url(), /organization=acme/);
  assert.equal(world.provider.received.length, before + 1, 'no second automatic redirect');
  await shot(page, '06-back-from-provider');
  // Still usable: continuing again works.
  await button.click();
  await page.waitForURL(/\/interaction\//);
  assert.equal(world.provider.received.length, before + 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a double click navigates once', async () => {
  const { page, context } = await newPage(browser);
  const before = world.provider.received.length;
  // Count the navigations the page asks for, not the ones the provider receives: a
  // second location.assign cancels the first before its request leaves, so the
  // provider would see one either way. Chromium reports every script-initiated
  // navigation request, cancelled or not (DevTools protocol).
  const started = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  cdp.on('Page.frameRequestedNavigation', (e) => {
    if (e.url.startsWith(world.provider.authorize)) started.push(e.url);
  });
  await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=globex')}`);
  await page.getByRole('button', { name: 'Continue with Google' }).dblclick();
  await page.waitForURL(/\/interaction\//);
  await page.waitForTimeout(300);
  assert.equal(started.length, 1, `navigations started: ${started.length}`);
  assert.equal(world.provider.received.length, before + 1);
  await context.close();
});

// docs/design.md#the-login-flow states: "loading (`aria-busy`, a spinner after 300 ms, no layout shift), slow
// lookup (abort after 8 s with Retry)". The page's timers run on Playwright's fake clock,
// and the spinner's animation is moved by hand: nothing depends on the machine's speed.
test('static page: one lookup; no spinner before 300 ms; a hung lookup aborts at 8 s, not before; Retry with no layout shift; offline says so', async () => {
  const { page, requests, problems, context } = await newPage(browser);
  const t0 = new Date('2026-01-01T00:00:00Z').getTime();
  await page.clock.install({ time: t0 });
  let slow = true;
  const held = [];
  let started;
  const lookupStarted = new Promise((r) => { started = r; });
  await page.route('**/login/context**', (route) => {
    if (!slow) return route.continue();
    held.push(route); // never answered: a hung server
    started();
  });
  await page.goto(`${world.portico.base}/index.html${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=initech')}`);
  await lookupStarted;
  // The lookup (and its 8 s abort timer) started at most `now - t0` after t0; from
  // here on time moves only when the test says so.
  // (A little ahead of `now`: on a busy machine the page's clock moves on while the
  // test asks, and pausing in its past is an error.)
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 100);
  assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true');
  const opacityAt = (ms) => page.locator('.spinner').evaluate((el, ms) => {
    for (const a of el.getAnimations()) if (a.animationName === 'spinner-show') { a.pause(); a.currentTime = ms; }
    return getComputedStyle(el).opacity;
  }, ms);
  assert.equal(await opacityAt(0), '0');
  assert.equal(await opacityAt(299), '0', 'no spinner before 300 ms');
  assert.equal(await opacityAt(301), '1', 'a spinner after 300 ms');
  const box = () => page.locator('.card').evaluate((el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width]; });
  const loading = await box();
  // Not aborted 7 s after the lookup started (bounds allow for up to 1 s between the
  // lookup starting and the clock pausing) …
  await page.clock.runFor(7_000);
  await page.waitForTimeout(100);
  assert.equal(await page.getByText('The server is taking too long to answer.').count(), 0, 'aborted before 8 s');
  assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true');
  // … and aborted by 8 s.
  await page.clock.runFor(1_100);
  await page.getByText('The server is taking too long to answer.').waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('main').getAttribute('aria-busy'), 'false');
  await shot(page, '07-slow-lookup');
  await page.clock.resume();
  slow = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('heading', { name: 'Log in to Initech to continue to Portico Demo' }).waitFor();
  assert.deepEqual(await box(), loading, 'the card did not move between loading and loaded');
  assert.equal(requests.filter((r) => r.url.includes('/login/context')).length, 2, 'the hung one and the retry');
  // Default theme for an organization without branding.
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--portico-primary').trim()), '#4f46e5');
  // Offline: the prompt says so.
  await page.getByRole('button', { name: 'Not your organization?' }).click();
  await context.setOffline(true);
  await page.getByLabel('Organization name or email').fill('acme');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByText('You appear to be offline').waitFor();
  await shot(page, '08-offline');
  await context.setOffline(false);
  assert.deepEqual(problems.filter((p) => !p.includes('ERR_')), []);
  await context.close();
});

test('keyboard only: tab to the field, type, Enter, tab to a connection, Enter', async () => {
  const { page, problems, context } = await newPage(browser);
  const before = world.provider.received.length;
  await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url)}`);
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'organization');
  await page.keyboard.type('globex');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Log in to Globex/ }).waitFor();
  // Tab through: email field, database button, Azure AD, Google.
  let label = '';
  for (let i = 0; i < 6 && !label.includes('Google'); i++) {
    await page.keyboard.press('Tab');
    label = await page.evaluate(() => document.activeElement.textContent || '');
  }
  assert.match(label, /Continue with Google/);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, 'solid', 'visible focus');
  await shot(page, '09-keyboard-focus');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/interaction\//);
  assert.equal(world.provider.received.length, before + 1);
  assert.equal(world.provider.received.at(-1).get('connection'), 'google-oauth2');
  assert.deepEqual(problems, []);
  await context.close();
});

test('without --authorize-url the demo ends on /handoff showing the request', async () => {
  const demo = await startPortico({ callback: world.callback.url });
  const { page, problems, context } = await newPage(browser);
  try {
    await page.goto(`${demo.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=globex')}`);
    await page.getByRole('button', { name: 'Continue with Google' }).click();
    await page.getByRole('heading', { name: 'Handoff' }).waitFor();
    const text = await page.locator('table').innerText();
    for (const v of [SENT.state, SENT.nonce, SENT.code_challenge, 'google-oauth2', world.callback.url]) assert.ok(text.includes(v), v);
    await shot(page, '10-handoff');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    demo.close();
  }
});

test('hostile display names render as text and keep the layout', async () => {
  const { api } = world.portico;
  const conns = (await api('GET', '/connections', { scopes: 'read:connections' })).body;
  const google = conns.find((c) => c.name === 'google-oauth2').id;
  const cases = {
    markup: '<img src=x onerror="window.__pwned=1"><b>Bold</b> &amp; </script>',
    long: 'W'.repeat(255),
    rtl: 'شركة أكمي للحلول',
  };
  for (const [name, display_name] of Object.entries(cases)) {
    const r = await api('POST', '/organizations', {
      body: { name: `hostile-${name}`, display_name, enabled_connections: [{ connection_id: google }] },
      scopes: 'create:organizations create:organization_connections',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const { page, problems, context } = await newPage(browser);
    await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, `&organization=hostile-${name}`)}`);
    const heading = page.getByRole('heading', { level: 1 });
    await heading.waitFor();
    assert.equal(await heading.locator('bdi').first().textContent(), display_name, 'rendered as text, inside <bdi>');
    assert.equal(await page.locator('.card img, .card b').count(), 0, 'no markup injected');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const layout = await page.evaluate(() => ({
      scroll: document.scrollingElement.scrollWidth, width: innerWidth,
      card: document.querySelector('.card').getBoundingClientRect().width,
      button: document.querySelector('.card button').getBoundingClientRect().right <= document.querySelector('.card').getBoundingClientRect().right,
    }));
    assert.ok(layout.scroll <= layout.width, `no horizontal overflow: ${JSON.stringify(layout)}`);
    assert.ok(layout.card <= 400 && layout.button, JSON.stringify(layout));
    await shot(page, `11-hostile-${name}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('dark mode: a dark card that keeps the organization colours, text shades readable', async () => {
  const { page, problems, context } = await newPage(browser, { colorScheme: 'dark' });
  await page.goto(`${world.portico.base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=acme')}`);
  await page.waitForURL(/\/interaction\//);
  await page.goBack();
  await page.getByRole('button', { name: 'Continue with Acme Okta' }).waitFor();
  const look = await page.evaluate(() => {
    const card = getComputedStyle(document.querySelector('.card'));
    const link = getComputedStyle(document.querySelector('.link'));
    return { card: card.backgroundColor, text: card.color, link: link.color, page: getComputedStyle(document.body).backgroundColor };
  });
  assert.equal(look.card, 'rgb(28, 29, 34)', 'the dark card');
  assert.equal(look.page, 'rgb(230, 238, 251)', "the organization's page background stays");
  // Acme's #0b5cd5 fails 3:1 on the dark card, so links use the lighter derived shade.
  assert.notEqual(look.link, 'rgb(11, 92, 213)');
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--portico-accent-dark').trim());
  const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  assert.equal(look.link, `rgb(${hex(accent).join(', ')})`);
  await shot(page, '12-dark-mode-acme');
  assert.deepEqual(problems, []);
  await context.close();
});

// Issue "every setting does something" (docs/design.md#the-login-flow, Connections in detail): a connection's
// icon_url is drawn on its button; "Sign up" appears exactly where the enabled database
// connection has is_signup_enabled and continues with screen_hint=signup; the client's
// logo_uri shows on the prompt and the personal login, and an `allow` prompt leads
// back to the personal login.
test('settings that show: custom icon, Sign up, the application logo, Continue without an organization', async () => {
  const { base, port } = world.portico;
  const api = async (method, p, body, scopes) => {
    const r = await world.portico.api(method, p, { body, scopes });
    assert.ok(r.status < 300, `${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  // A square icon the server serves; loopback http is allowed for images (never leaves the machine).
  const icon = `http://localhost:${port}/favicon.ico`;
  const sso = await api('POST', '/connections', { name: 'iconic-sso', display_name: 'Iconic SSO', strategy: 'oidc', options: { icon_url: icon } }, 'create:connections');
  const conns = await api('GET', '/connections', null, 'read:connections');
  const database = conns.find((c) => c.strategy === 'auth0').id;
  await api('POST', '/organizations', {
    name: 'iconic', display_name: 'Iconic',
    enabled_connections: [
      { connection_id: sso.id },
      { connection_id: database, assign_membership_on_login: true, is_signup_enabled: true },
    ],
  }, 'create:organizations create:organization_connections');
  const { page, problems, context } = await newPage(browser);
  await page.goto(`${base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=iconic')}`);
  const button = page.getByRole('button', { name: 'Continue with Iconic SSO' });
  await button.waitFor();
  const img = button.locator('img.button__icon');
  await page.waitForFunction((el) => el.complete, await img.elementHandle());
  assert.equal(await img.getAttribute('src'), icon);
  assert.equal(await img.getAttribute('referrerpolicy'), 'no-referrer');
  assert.ok(await img.evaluate((el) => el.naturalWidth > 0), 'the custom icon loaded');
  assert.equal(await button.locator('svg').evaluate((el) => getComputedStyle(el).display), 'none', 'the built-in icon gives way');
  // Sign up: present for Iconic's database connection, continuing with screen_hint=signup.
  const before = world.provider.received.length;
  await page.getByLabel('Email address').fill('new.user@iconic.test');
  await shot(page, '13-custom-icon-and-sign-up');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/interaction\//);
  assert.equal(world.provider.received.length, before + 1);
  const sent = world.provider.received.at(-1);
  assert.equal(sent.get('screen_hint'), 'signup');
  assert.equal(sent.get('connection'), 'Username-Password-Authentication');
  assert.equal(sent.get('login_hint'), 'new.user@iconic.test');
  // Globex's database connection has no sign-up: no "Sign up" there.
  await page.goto(`${base}/authorize${authorizeQuery('demo-require-prompt', world.callback.url, '&organization=globex')}`);
  await page.getByRole('button', { name: 'Continue with Google' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign up' }).count(), 0);
  // The application's logo on the personal login and the prompt; the allow prompt's way back.
  await api('PATCH', '/clients/demo-allow', { logo_uri: `http://localhost:${port}/demo/logos/acme.svg` }, 'update:clients');
  await page.goto(`${base}/authorize${authorizeQuery('demo-allow', world.callback.url)}`);
  await page.getByRole('heading', { name: 'Log in to continue to Team Chat' }).waitFor();
  assert.equal(await page.locator('.logo__img').getAttribute('alt'), 'Team Chat');
  await page.getByRole('button', { name: 'Sign in with your organization' }).click();
  await page.getByRole('heading', { name: 'Enter your organization' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.logo__img')?.naturalWidth > 0);
  await shot(page, '14-prompt-continue-without-an-organization');
  await page.getByRole('link', { name: 'Continue without an organization' }).click();
  await page.getByRole('heading', { name: 'Log in to continue to Team Chat' }).waitFor();
  assert.ok(!new URL(page.url()).searchParams.has('organization'));
  assert.deepEqual(problems, []);
  await context.close();
});
