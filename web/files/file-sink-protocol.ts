// What the page and the disk-writer worker (file-sink-worker.ts) say to each other.

/** The OPFS folder where incoming files stay until verified and saved, or discarded. */
export const TRANSFER_DIR = 'relaydesk-transfers';

/** Where the worker's bundle is served, next to the page bundles (web/build.ts). */
export const SINK_WORKER_FILE = 'file-sink-worker.js';

export type SinkRequest =
  /** Creates the file, sized up front; answered. */
  | { op: 'open'; name: string; size: number }
  /**
   * The next block of the file (file-blocks.ts), `length` bytes at the start of a transferred buffer;
   * answered with the buffer, handed back for reuse, once hashed and written.
   */
  | { op: 'block'; bytes: ArrayBuffer; length: number }
  /** Flushes and closes the file; answered with the file digest (file-digest.ts). */
  | { op: 'finish' }
  /** Closes and deletes the file; answered. */
  | { op: 'discard' };

export type SinkReply =
  | { re: 'open' | 'discard'; ok: true }
  | { re: 'block'; ok: true; bytes: ArrayBuffer }
  | { re: 'finish'; ok: true; sha256: string }
  | { re: SinkRequest['op']; ok: false; error: string };
