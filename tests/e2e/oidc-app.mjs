// An application signing its users in the way real ones do: the npm `openid-client`
// (authorization code with PKCE, state and nonce), discovering the authorization
// server from its issuer and validating the ID token it gets back (issuer, audience,
// nonce, signature against the server's JWKS). Its authorization endpoint is
// Portico's `/authorize` (the login page in front), the rest is the server's own.
//
// GET /login?authorize=URL&…extra   starts a login at URL with the extra parameters;
// GET /callback                      exchanges the code, validates, shows `org_id`;
// GET /silent?authorize=URL&…extra   renews in a hidden iframe (`prompt=none`).
import http from 'node:http';
import * as client from 'openid-client';

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
  return { base, redirectUri, sessions, close: () => srv.close() };
}
