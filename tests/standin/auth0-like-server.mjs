// An authorization server that behaves as Auth0 does with organizations, for the
// end-to-end chain: the npm `oidc-provider` (a certified OpenID Provider) serving the
// stand-in tenant's applications, which
// - accepts `organization` (an id of the tenant's) and `connection` (a name of the
//   tenant's), and rejects an unknown organization id or connection name with an
//   error redirect, as Auth0 does;
// - shows on its sign-in page which organization and connection it was asked for;
// - puts `org_id` and `org_name` into the ID token for the organization of the request;
// - answers `prompt=none` from its session (silent renewal), and records every
//   authorization request it receives (`received`), with any `kc_idp_hint`.
import http from 'node:http';
import Provider from 'oidc-provider';

function page(title, body) {
  return `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1>${body}`;
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startAuth0Like(tenant, { port = 0 } = {}) {
  const srv = http.createServer();
  await new Promise((r) => srv.listen(port, '127.0.0.1', r));
  // Auth0's shapes: the issuer ends in `/` (auth0-spa-js checks `iss` is `https://DOMAIN/`),
  // `/authorize` and `/oauth/token`.
  const base = `http://127.0.0.1:${srv.address().port}`;
  const issuer = `${base}/`;
  const clients = [...tenant.clients.values()].filter((c) => !c.global).map((c) => ({
    client_id: c.client_id,
    token_endpoint_auth_method: 'none',
    redirect_uris: c.callbacks,
    response_types: ['code'],
    grant_types: ['authorization_code'],
  }));
  const orgOf = (accountId) => tenant.organizations.get(accountId.split('|')[1] ?? '');
  const provider = new Provider(issuer, {
    clients,
    routes: { authorization: '/authorize', token: '/oauth/token' },
    extraParams: ['organization', 'connection', 'kc_idp_hint'],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email'],
    claims: { openid: ['sub', 'org_id', 'org_name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['portico-e2e-only'] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // Users sign in to an organization: the account carries it, so the ID token can.
    findAccount: (ctx, accountId) => ({
      accountId,
      claims: () => {
        const org = orgOf(accountId);
        return { sub: accountId, ...(org ? { org_id: org.id, org_name: org.name } : {}) };
      },
    }),
    // First-party applications: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  });
  const received = [];
  provider.use(async (ctx, next) => {
    if (ctx.path === '/authorize') {
      const q = new URLSearchParams(ctx.querystring);
      received.push(q);
      const org = q.get('organization');
      const conn = q.get('connection');
      const bad = (org && !tenant.organizations.has(org) && `parameter organization is invalid: ${org}`)
        || (conn && ![...tenant.connections.values()].some((c) => c.name === conn) && `the connection is not enabled: ${conn}`);
      if (bad) {
        const back = new URL(q.get('redirect_uri'));
        back.searchParams.set('error', 'invalid_request');
        back.searchParams.set('error_description', bad);
        if (q.has('state')) back.searchParams.set('state', q.get('state'));
        ctx.redirect(back.href);
        return;
      }
    }
    await next();
  });
  provider.on('server_error', (ctx, err) => console.error('oidc-provider:', err));
  const callback = provider.callback();
  srv.on('request', async (req, res) => {
    const m = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!m) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      const org = tenant.organizations.get(details.params.organization);
      if (m[2] && req.method === 'POST') {
        const accountId = `user-1${org ? `|${org.id}` : ''}`;
        return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Sign in', `<p id="asked">Organization: <b id="org">${escape(org?.display_name ?? org?.name ?? 'none')}</b>,
        connection: <b id="connection">${escape(details.params.connection ?? 'any')}</b></p>
        <form method="post" action="/interaction/${m[1]}/login"><button>Continue</button></form>`));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  return { issuer, base, authorize: `${base}/authorize`, received, close: () => srv.close() };
}
