// An application signing its users in the way real ones do: the npm `openid-client`
// (authorization code with PKCE, state and nonce), discovering the authorization
// server from its issuer and validating the ID token it gets back (issuer, audience,
// nonce, signature against the server's JWKS). Its authorization endpoint is
// Portico's `/authorize` (the login page in front), the rest is the server's own.
//
// GET /login?authorize=URL&…extra   starts a login at URL with the extra parameters;
// GET /callback                      exchanges the code, validates, shows `org_id`;
// GET /silent?authorize=URL&…extra   renews in a hidden iframe (`prompt=none`).
// GET /spa?authorize=URL[&organization=…]  the same application as a single-page app on
//                                    Auth0's own SDK, auth0-spa-js: `loginWithRedirect`
//                                    with its `openUrl` hook swapping the tenant's
//                                    /authorize for Portico's; the SDK exchanges the code
//                                    at the server's /oauth/token and checks the ID token
//                                    (issuer, audience, nonce, and `org_id`/`org_name`
//                                    against the organization it asked for).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as client from 'openid-client';

const sdk = readFileSync(createRequire(import.meta.url).resolve('@auth0/auth0-spa-js/dist/auth0-spa-js.production.js'));

/** The SPA: one page that starts the login, and finishes it when it comes back with a code. */
function spaPage({ domain, clientId, redirectUri }) {
  const config = JSON.stringify({ domain, clientId, redirectUri }).replace(/</g, '\\u003c');
  return `<!doctype html><meta charset="utf-8"><title>SPA</title><h1 id="status">Starting</h1>
<pre id="claims"></pre><script src="/auth0-spa-js.js"></script><script type="module">
const { domain, clientId, redirectUri } = ${config};
const params = new URLSearchParams(location.search);
const status = document.getElementById('status');
try {
  const sdk = await auth0.createAuth0Client({ domain, clientId, authorizationParams: { redirect_uri: redirectUri } });
  if (params.has('code') || params.has('error')) {
    await sdk.handleRedirectCallback();
    const claims = await sdk.getIdTokenClaims();
    document.getElementById('claims').textContent = JSON.stringify({ org_id: claims.org_id, org_name: claims.org_name, iss: claims.iss, aud: claims.aud });
    status.textContent = 'Signed in';
  } else {
    const front = params.get('authorize');
    const organization = params.get('organization') ?? undefined;
    await sdk.loginWithRedirect({
      authorizationParams: { organization },
      openUrl(url) {
        const u = new URL(url);
        sessionStorage.setItem('asked', url);
        location.assign(front + u.search);
      },
    });
  }
} catch (e) {
  status.textContent = 'Sign-in failed';
  document.getElementById('claims').textContent = String(e.message ?? e);
}
</script>`;
}

export async function startApplication({ port, issuer, clientId }) {
  const base = `http://127.0.0.1:${port}`;
  const redirectUri = `${base}/callback`;
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  const pending = new Map(); // state → { verifier, nonce }
  const sessions = []; // the validated ID tokens' claims, or { error }
  const srv = http.createServer(async (req, res) => {
    const url = new URL(req.url, base);
    try {
      if (url.pathname === '/auth0-spa-js.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        return res.end(sdk);
      }
      if (url.pathname === '/spa') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(spaPage({ domain: issuer.replace(/\/$/, ''), clientId, redirectUri: `${base}/spa` }));
      }
      if (url.pathname === '/login') {
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        pending.set(state, { verifier, nonce });
        const params = {
          redirect_uri: redirectUri, scope: 'openid profile', state, nonce,
          code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
        };
        for (const [k, v] of url.searchParams) if (k !== 'authorize') params[k] = v;
        const at = client.buildAuthorizationUrl(config, params);
        const front = new URL(url.searchParams.get('authorize'));
        front.search = at.search;
        res.writeHead(302, { location: front.href });
        return res.end();
      }
      if (url.pathname === '/silent') {
        const login = new URL(`/login${url.search}`, base);
        login.searchParams.set('prompt', 'none');
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<!doctype html><title>Renewing</title><iframe hidden src="${login.href.replace(/&/g, '&amp;')}"></iframe>`);
      }
      if (url.pathname === '/callback') {
        const state = url.searchParams.get('state');
        if (url.searchParams.has('error')) {
          sessions.push({ error: url.searchParams.get('error'), error_description: url.searchParams.get('error_description'), state });
          res.writeHead(400, { 'content-type': 'text/html' });
          return res.end(`<!doctype html><title>Error</title><h1>Sign-in failed</h1><p id="error">${url.searchParams.get('error')}</p>`);
        }
        const p = pending.get(state);
        pending.delete(state);
        const tokens = await client.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: p?.verifier, expectedState: state, expectedNonce: p?.nonce, idTokenExpected: true,
        });
        const claims = tokens.claims();
        sessions.push(claims);
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<!doctype html><title>Signed in</title><h1>Signed in</h1><p>Organization <span id="org_id">${claims.org_id}</span></p>`);
      }
      res.writeHead(404);
      res.end();
    } catch (e) {
      sessions.push({ error: 'application', error_description: String(e) });
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  await new Promise((r) => srv.listen(port, '127.0.0.1', r));
  return { base, redirectUri, spaRedirectUri: `${base}/spa`, sessions, close: () => srv.close() };
}
