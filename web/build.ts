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

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
