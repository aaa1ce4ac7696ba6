#!/usr/bin/env bash
# The container test alone (npm run test:containers): the images built from deploy/ and the
# compose stack started from deploy/compose.yaml, carrying real sessions. The whole suite
# (scripts/test-all.sh) runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/containers/base-images.sh
# tap compiles its plugin list (ours drops the TypeScript plugin; tests run through tsx).
npx tap build >/dev/null
exec bash scripts/isolated-net.sh npx tap test/containers/stack.test.ts "$@"
