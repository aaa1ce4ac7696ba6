import { TRANSFER_DIR } from './file-sink-protocol.js';
import { randomHex } from '../hex.js';

/** What this module needs of an OPFS folder (FileSystemDirectoryHandle). */
export interface FileFolder {
  keys(): AsyncIterable<string>;
  removeEntry(name: string): Promise<void>;
  getFileHandle?(name: string): Promise<{ getFile(): Promise<File> }>;
}

/** What this module needs of the Web Locks API (navigator.locks). */
export interface Locks {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<unknown> | unknown): Promise<unknown>;
}

const LOCK_PREFIX = 'relaydesk-files:';
/** `<scope>.<transfer id>`: the scope is one session, kept across its page's reloads (session-history.ts). */
const SEPARATOR = '.';

/**
 * The received files of one session on this page, in the Origin Private File System. Each session
 * has its own random scope, the prefix of its files' names, and a page holds a Web Lock named
 * after it while it shows the session. So files live as long as their session: at its end
 * `removeScopeFiles` removes its own files, never another session's (the analyst's next session,
 * another tab); and the files of a page that crashed or was closed are removed by the next page of
 * the origin that loads (`removeOrphanedFiles`), since no page holds their lock any more, unless
 * the session is kept for a reload.
 */
export class SessionFiles {
  readonly scope: string;
  private releaseLock: () => void = () => undefined;
  private readonly held: Promise<void>;

  /** `scope`: the session's scope from before a reload (session-history.ts), to find its files again. */
  constructor(
    private readonly folder: () => Promise<FileFolder | null> = transferFolder,
    private readonly locks: Locks | null = browserLocks(),
    scope?: string,
  ) {
    this.scope = scope && /^[0-9a-f]{16}$/.test(scope) ? scope : randomScope();
    // The lock is held until release(): the callback's promise settles only then.
    this.held = new Promise<void>((granted) => {
      if (!this.locks) return granted();
      void this.locks.request(`${LOCK_PREFIX}${this.scope}`, {}, () => {
        granted();
        return new Promise<void>((release) => (this.releaseLock = release));
      });
    });
  }

  /** The OPFS name of a received file of this session. */
  fileName(transferId: string): string {
    return `${this.scope}${SEPARATOR}${transferId}`;
  }

  /** Resolves once this session holds its lock (before then a loading page could take its files for orphans). */
  ready(): Promise<void> {
    return this.held;
  }

  /** A received file of this session, from disk (after a reload: the page's memory is gone, the file is not). */
  async open(transferId: string): Promise<Blob | null> {
    const folder = await this.folder();
    try {
      return (await folder?.getFileHandle?.(this.fileName(transferId))?.then((handle) => handle.getFile())) ?? null;
    } catch {
      return null; // removed meanwhile
    }
  }

  /** Removes this session's files while it goes on (the benchmark between runs). */
  removeAll(): Promise<number> {
    return removeScopeFiles(this.scope, this.folder);
  }

  /**
   * This page is done with the session's files: the lock goes. The files stay while the session
   * goes on (a reload, another tab); its end removes them (`removeScopeFiles`).
   */
  release(): void {
    this.releaseLock();
  }
}

/**
 * At page load: removes the files of every session no page holds any more (a crash, a tab closed
 * before its session's end), and files named by no session at all (an older version's).
 */
export async function removeOrphanedFiles(folder: () => Promise<FileFolder | null> = transferFolder, locks: Locks | null = browserLocks(), keep: ReadonlySet<string> = new Set()): Promise<number> {
  const dir = await folder();
  if (!dir || !locks) return 0;
  const scopes = new Set<string>();
  const unscoped: string[] = [];
  for await (const name of dir.keys()) {
    const scope = scopeOf(name);
    if (scope) scopes.add(scope);
    else unscoped.push(name);
  }
  let removed = 0;
  for (const name of unscoped) removed += await dir.removeEntry(name).then(() => 1, () => 0);
  for (const scope of scopes) {
    // A session saved for a reload (session-history.ts) keeps its files until it ends.
    if (keep.has(scope)) continue;
    // ifAvailable: the callback gets null when a page still holds the lock (its session is on).
    await locks.request(`${LOCK_PREFIX}${scope}`, { ifAvailable: true }, async (lock) => {
      if (lock) removed += await removeWhere(dir, (name) => scopeOf(name) === scope);
    });
  }
  return removed;
}

/** Removes the files of a session that is over, by its scope, whichever page held them. */
export async function removeScopeFiles(scope: string, folder: () => Promise<FileFolder | null> = transferFolder): Promise<number> {
  const dir = await folder();
  return dir ? removeWhere(dir, (name) => scopeOf(name) === scope) : 0;
}

function scopeOf(name: string): string | null {
  const at = name.indexOf(SEPARATOR);
  return at > 0 ? name.slice(0, at) : null;
}

async function removeWhere(dir: FileFolder, matches: (name: string) => boolean): Promise<number> {
  const names: string[] = [];
  for await (const name of dir.keys()) if (matches(name)) names.push(name);
  const results = await Promise.all(names.map((name) => dir.removeEntry(name).then(() => 1, () => 0)));
  return results.reduce<number>((a, b) => a + b, 0);
}

function randomScope(): string {
  return randomHex(8);
}

/** The page's navigator, as far as this module uses it (read from globalThis: unit tests run in Node). */
interface BrowserNavigator {
  storage?: { getDirectory(): Promise<{ getDirectoryHandle(name: string, options: { create: boolean }): Promise<unknown> }> };
  locks?: Locks;
}
const browserNavigator = (): BrowserNavigator | undefined => (globalThis as { navigator?: BrowserNavigator }).navigator;

async function transferFolder(): Promise<FileFolder | null> {
  try {
    const root = await browserNavigator()!.storage!.getDirectory();
    return (await root.getDirectoryHandle(TRANSFER_DIR, { create: true })) as FileFolder;
  } catch {
    return null;
  }
}

function browserLocks(): Locks | null {
  return browserNavigator()?.locks ?? null;
}
