// The official auth0 Node SDK against Portico. The SDK only speaks https://{domain},
// so a loopback TLS front with a throwaway self-signed certificate forwards to the
// server; the SDK process trusts that certificate through NODE_EXTRA_CA_CERTS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPortico, root } from '../support/harness.mjs';

function tlsFront(targetPort, dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const srv = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const up = http.request({ host: '127.0.0.1', port: targetPort, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ port: srv.address().port, cert, close: () => srv.close() })));
}

test('the auth0 Node SDK works unchanged against Portico', async () => {
  const portico = await startPortico();
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-sdk-'));
  const front = await tlsFront(portico.port, dir);
  try {
    const all = 'create:organizations read:organizations update:organizations delete:organizations create:organization_connections read:organization_connections create:connections read:connections read:clients update:clients';
    const child = await new Promise((resolve) => {
      const p = spawn(process.execPath, [path.join(root, 'tests/e2e/sdk-client.mjs')], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: front.cert, PORTICO_DOMAIN: `127.0.0.1:${front.port}`,
          PORTICO_TOKEN: portico.token(all), PORTICO_READ_ONLY_TOKEN: portico.token('read:organizations') },
      });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('close', (code) => resolve({ code, out }));
    });
    console.log(child.out);
    assert.equal(child.code, 0, child.out);
  } finally {
    front.close();
    portico.close();
  }
});

