// Auth0 Lock 11 (bench/build-lock.sh builds it) rendering the equivalent of Portico's
// Globex login: what the benchmark (run.mjs) and the comparison pictures (compare.mjs)
// put beside Portico.
import http from 'node:http';
import zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from '../tests/support/harness.mjs';

export const CALLBACK = 'http://localhost:8080/callback';

/** The Lock page's server: the page, lock.min.js (brotli), and the client's JSONP config. */
export async function startLockServer(organizationId) {
  const lock = zlib.brotliCompressSync(readFileSync(path.join(root, 'bench/lock/lock.min.js')), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
  });
  const logo = readFileSync(path.join(root, 'server/src/demo/logos/globex.svg'));
  let port;
  const page = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Log in</title></head>
<body style="margin:0;background:#22252b"><script src="/lock.min.js"></script><script>
var lock = new Auth0Lock('demo-require-prompt', '127.0.0.1:${port}', {
  configurationBaseUrl: 'http://127.0.0.1:${port}',
  languageBaseUrl: 'http://127.0.0.1:${port}',
  auth: { redirectUrl: '${CALLBACK}', responseType: 'code', params: { organization: '${organizationId}', scope: 'openid profile', state: 'st' } },
  theme: { logo: 'http://127.0.0.1:${port}/globex.svg', primaryColor: '#ffd400' },
  languageDictionary: { title: 'Globex' },
  allowedConnections: ['Username-Password-Authentication', 'google-oauth2', 'globex-azure'],
  rememberLastLogin: false, closable: false, allowSignUp: false
});
lock.show();
</script></body></html>`;
  const client = () => `Auth0.setClient(${JSON.stringify({
    id: 'demo-require-prompt', tenant: 'portico-bench', subscription: 'free', authorize: `http://127.0.0.1:${port}/authorize`, callback: CALLBACK, hasAllowedOrigins: true,
    strategies: [
      { name: 'auth0', connections: [{ name: 'Username-Password-Authentication', showSignup: false, showForgot: true, passwordPolicy: 'fair' }] },
      { name: 'google-oauth2', connections: [{ name: 'google-oauth2', scope: ['email', 'profile'] }] },
      { name: 'waad', connections: [{ name: 'globex-azure', domain: 'globex.test', domain_aliases: ['globex.test'] }] },
    ],
  })});`;
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br' });
      return res.end(zlib.brotliCompressSync(page()));
    }
    if (url.pathname === '/lock.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'br' });
      return res.end(lock);
    }
    if (url.pathname.endsWith('/en.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'br' });
      return res.end(zlib.brotliCompressSync(readFileSync(path.join(root, 'bench/lock/en.js'))));
    }
    if (url.pathname.startsWith('/client/')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'br' });
      return res.end(zlib.brotliCompressSync(client()));
    }
    if (url.pathname === '/globex.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      return res.end(logo);
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  port = srv.address().port;
  return { url: `http://127.0.0.1:${port}/`, close: () => srv.close() };
}
