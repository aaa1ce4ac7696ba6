import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The helper's two native parts (libnut for input, node-datachannel for the page's channel). Run
// from the repository they load from node_modules; in the single-file program (helper/build.ts)
// they travel inside the file as assets and are written to a private temporary folder and
// dlopen()ed from there, the one way Node loads a native module. That folder goes when the helper
// ends, so nothing is left behind but the downloaded file itself.

type Sea = { isSea(): boolean; getRawAsset(name: string): ArrayBuffer };
const sea = process.getBuiltinModule('node:sea') as Sea | undefined;
/** Running as the single-file program (Node's single executable application), not from the repository. */
export const singleFile = sea?.isSea() === true;

const FOLDER_PREFIX = 'relaydesk-helper-native-';
let folder: string | null = null;

export function loadAddon<T>(name: 'libnut' | 'datachannel', fromPackage: () => T): T {
  if (!singleFile) return fromPackage();
  folder ??= mkdtempSync(join(tmpdir(), FOLDER_PREFIX));
  const file = join(folder, `${name}.node`);
  mkdirSync(folder, { recursive: true }); // as it was made, even if another helper's sweep took it meanwhile
  writeFileSync(file, new Uint8Array(sea!.getRawAsset(`${name}.node`)));
  const module = { exports: {} as T };
  process.dlopen(module, file);
  // Linux keeps the loaded library mapped: its file can go at once.
  if (process.platform !== 'win32') rmSync(file, { force: true });
  return module.exports;
}

/** At exit: the folder the native parts were written to. */
export function removeAddons(): void {
  if (!folder) return;
  const done = folder;
  folder = null;
  if (process.platform !== 'win32') return rmSync(done, { recursive: true, force: true });
  // Windows keeps a loaded DLL's file locked until its process ends: a detached cmd removes the
  // folder a moment after this process has exited.
  spawn(process.env.ComSpec ?? 'cmd.exe', ['/d', '/c', `ping -n 3 127.0.0.1 >nul & rd /s /q "${done}"`], { detached: true, stdio: 'ignore', windowsHide: true }).unref();
}

/** At start: folders an earlier run could not remove (killed, power cut), an hour old or more. */
export function removeStaleAddons(): void {
  if (!singleFile) return;
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(FOLDER_PREFIX)) continue;
    const path = join(tmpdir(), entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // in use (Windows locks a loaded DLL), or not ours to remove
    }
  }
}
