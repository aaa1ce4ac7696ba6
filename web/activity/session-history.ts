import type { Transfer } from '../files/file-transfers.js';
import type { TimelineEntry } from './session-tools.js';

/**
 * What a page keeps of its session so that a reload (or the link opened again after the tab was
 * closed) comes back to it: the chat and the activity log, the transfer list, the scope of the
 * received files on disk (session-files.ts) and the session's first verification code. Only in
 * this browser (localStorage), never sent anywhere; removed when the page sees the session end,
 * and at the latest HISTORY_TTL_MS after its last change (a page that never saw the end).
 */
export interface SavedSession {
  v: 1;
  sessionId: string;
  savedAt: number;
  /** The received files' scope in the Origin Private File System. */
  scope: string;
  timeline: TimelineEntry[];
  /** The transfers, without their bytes; those still running when saved are shown as interrupted. */
  transfers: Array<Omit<Transfer, 'blob'>>;
  firstCode: string | null;
}

/** A saved session no page touched for this long is forgotten at the next page load. */
export const HISTORY_TTL_MS = 3 * 60 * 60_000;
const PREFIX = 'relaydesk.session.';

/** What this module needs of localStorage (a Map-backed fake in unit tests). */
export interface KeyValueStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const browserStorage = (): KeyValueStorage | null => {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage ?? null;
  } catch {
    return null; // storage blocked (a privacy setting): nothing survives a reload, the session still works
  }
};

/** Sessions this page saw end: nothing more is saved for them (a late change must not bring the record back). */
const ended = new Set<string>();

export class SessionHistory {
  constructor(private readonly storage: KeyValueStorage | null = browserStorage(), private readonly now: () => number = Date.now) {}

  load(sessionId: string): SavedSession | null {
    const raw = this.read(PREFIX + sessionId);
    if (!raw) return null;
    try {
      const saved = JSON.parse(raw) as SavedSession;
      if (saved.v !== 1 || saved.sessionId !== sessionId || this.now() - saved.savedAt > HISTORY_TTL_MS) return null;
      return saved;
    } catch {
      return null;
    }
  }

  save(saved: Omit<SavedSession, 'v' | 'savedAt'>): void {
    if (ended.has(saved.sessionId)) return;
    const record: SavedSession = { v: 1, savedAt: this.now(), ...saved };
    try {
      this.storage?.setItem(PREFIX + saved.sessionId, JSON.stringify(record));
    } catch {
      // Full or blocked: the session goes on, a reload would start with an empty log.
    }
  }

  /** The session is over: its record goes for good, and its received files a moment later (a save in progress gets to finish). */
  end(sessionId: string, removeFiles: (scope: string) => Promise<unknown>, delayMs = 30_000): void {
    const scope = this.load(sessionId)?.scope;
    ended.add(sessionId);
    this.remove(sessionId);
    if (scope) setTimeout(() => void removeFiles(scope).catch(() => undefined), delayMs);
  }

  remove(sessionId: string): void {
    try {
      this.storage?.removeItem(PREFIX + sessionId);
    } catch {
      // blocked storage: nothing was kept
    }
  }

  /** At page load: forgets records past their time; returns the file scopes of the ones that remain (their files stay). */
  purge(): Set<string> {
    const keep = new Set<string>();
    if (!this.storage) return keep;
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key?.startsWith(PREFIX)) keys.push(key);
    }
    for (const key of keys) {
      const saved = this.load(key.slice(PREFIX.length));
      if (saved) keep.add(saved.scope);
      else this.remove(key.slice(PREFIX.length));
    }
    return keep;
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }
}

/** Transfers as saved: without bytes, and a transfer that was still running ends as interrupted by the reload. */
export function savedTransfers(transfers: Transfer[], isFinal: (t: Transfer) => boolean): SavedSession['transfers'] {
  return transfers.map(({ blob: _blob, interrupted: _interrupted, quietSeconds: _quiet, ...rest }) =>
    isFinal(rest as Transfer) ? rest : { ...rest, state: 'failed' as const, failReason: 'pageReloaded' as const, bytesPerSecond: 0, secondsLeft: null },
  );
}
