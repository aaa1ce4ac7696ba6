import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

// Bundles the signaling server and everything it imports (Fastify, ioredis, TypeBox, ...) into one
// file, build/server.mjs, so a deployment runs plain `node build/server.mjs`: no tsx, esbuild or
// TypeScript at run time, and no node_modules next to it. The web app is bundled by web/build.ts.
const root = fileURLToPath(new URL('..', import.meta.url));

await esbuild.build({
  entryPoints: [`${root}signaling/server.ts`],
  outfile: `${root}build/server.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The oldest Node the code supports (package.json "engines").
  target: 'node20.19',
  // Some dependencies are CommonJS and call require() for Node's built-ins, which an ES module
  // does not have: give the bundle one.
  banner: { js: "import { createRequire as __relaydeskRequire } from 'node:module'; const require = __relaydeskRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log('build/server.mjs written');
