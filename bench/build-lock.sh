#!/usr/bin/env bash
# Builds bench/lock/lock.min.js: Auth0 Lock 11 (npm auth0-lock) bundled and minified
# with esbuild, the same way its own webpack build makes the CDN file. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
[ -f lock/lock.min.js ] && [ lock/lock.min.js -nt package.json ] && { echo "lock.min.js is built"; exit 0; }
npm install --no-audit --no-fund --ignore-scripts=false >/dev/null
# auth0-js declares "type": "module" but its main file is UMD; as ESM it would export
# nothing. Lock's own webpack build reads it as CommonJS, so do the same here.
(cd node_modules/auth0-js && npm pkg delete type)
mkdir -p lock
echo "window.Auth0Lock = require('auth0-lock').default || require('auth0-lock');" > lock/entry.js
node_modules/.bin/esbuild lock/entry.js --bundle --minify --main-fields=browser,main --define:process.env.NODE_ENV='"production"' \
  --define:global=window --outfile=lock/lock.min.js --log-level=warning
# The English dictionary Lock fetches from its CDN, as the CDN serves it.
node -e "const d=require('auth0-lock/lib/i18n/en.js'); process.stdout.write('Auth0.registerLanguageDictionary(\'en\', '+JSON.stringify(d.default||d)+');')" > lock/en.js
echo "built bench/lock/lock.min.js ($(wc -c < lock/lock.min.js) bytes)"
