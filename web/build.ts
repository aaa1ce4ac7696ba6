import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Bundles the customer and analyst apps into web/dist, which the server serves under /assets/.
const here = fileURLToPath(new URL('.', import.meta.url));
const out = `${here}dist`;
const watch = process.argv.includes('--watch');

await mkdir(out, { recursive: true });
for (const file of ['customer.html', 'analyst.html', 'app.css', 'favicon.svg']) await copyFile(`${here}public/${file}`, `${out}/${file}`);

const options: esbuild.BuildOptions = {
  entryPoints: { customer: `${here}customer/main.tsx`, analyst: `${here}analyst/main.tsx` },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16', 'edge110'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !watch,
  sourcemap: true,
  define: { 'process.env.NODE_ENV': watch ? '"development"' : '"production"' },
  logLevel: 'info',
};

// The disk writer of incoming files runs in a worker; the pages find it next to their own bundle.
const workerOptions: esbuild.BuildOptions = {
  ...options,
  entryPoints: { 'file-sink-worker': `${here}files/file-sink-worker.ts` },
  format: 'iife',
};

if (watch) {
  for (const opts of [options, workerOptions]) await (await esbuild.context(opts)).watch();
} else {
  await Promise.all([esbuild.build(options), esbuild.build(workerOptions)]);
}
