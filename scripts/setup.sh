#!/usr/bin/env bash
# Installs everything Portico needs to build, run and test, idempotently: each step
# checks what is already there (at the pinned version) and skips it. Only the package
# registries are reachable on our machines, so every tool comes from crates.io, npm or
# Debian; docs/toolchain.md says why each pin is what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
step() { printf '\n==> [setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

step "wasm32 target"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "already installed"
else
  rustup target add wasm32-unknown-unknown
fi

step "rust-src (the page's release build rebuilds std for size: scripts/build-page.sh)"
if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  echo "already installed"
else
  rustup component add rust-src
fi

apt_pkgs=()
command -v chromium >/dev/null || apt_pkgs+=(chromium)
command -v chromedriver >/dev/null || apt_pkgs+=(chromium-driver)
command -v brotli >/dev/null || apt_pkgs+=(brotli)
[ -x /usr/lib/postgresql/15/bin/postgres ] || apt_pkgs+=(postgresql)
command -v sqlite3 >/dev/null || apt_pkgs+=(sqlite3)
command -v openssl >/dev/null || apt_pkgs+=(openssl)
fc-list 2>/dev/null | grep -qi dejavu || apt_pkgs+=(fonts-dejavu-core)
step "Debian packages: ${apt_pkgs[*]:-none missing}"
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
fi

step "trunk $TRUNK_VERSION"
if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  echo "already installed"
else
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$" \
  && command -v wasm-bindgen-test-runner >/dev/null; then
  echo "already installed"
else
  # Not --locked: its lockfile names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

step "cargo-fuzz 0.13.2"
if cargo fuzz --version 2>/dev/null | grep -q "0.13.2"; then
  echo "already installed"
else
  cargo install --locked cargo-fuzz --version 0.13.2
fi

step "npm packages (binaryen's wasm-opt, terser, playwright-core, axe-core, oidc-provider, openid-client, auth0, @auth0/auth0-spa-js)"
if [ -f package-lock.json ]; then
  if [ node_modules/.package-lock.json -nt package-lock.json ]; then
    echo "already installed"
  else
    npm ci --no-audit --no-fund
  fi
fi

step "cargo fetch: the workspace, plus what the offline builds need (std's own crates for build-std, the size floor)"
cargo fetch --locked
scripts/offline-deps.sh fetch

step "done"
