// The receiving end of one incoming file, run in a dedicated Worker (built as its own bundle,
// served as /assets/file-sink-worker.js). The page gathers chunks into blocks (file-blocks.ts) and
// hands each block's buffer over (transferred, not copied); the worker hashes it and writes it
// straight into the file through OPFS's synchronous access handle, which browsers offer only in
// workers, then hands the buffer back for the next block. That costs far less CPU than
// createWritable() on the page (docs/benchmarks.md), and the page's main thread stays free for
// chat and remote-control input.

import { FileDigest } from './file-digest.js';
import { TRANSFER_DIR, type SinkReply, type SinkRequest } from './file-sink-protocol.js';

// Only what is used of the WebWorker library, which cannot be loaded next to the DOM one.
interface SyncAccessHandle {
  write(bytes: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  close(): void;
}
interface WorkerScope {
  onmessage: ((event: MessageEvent<SinkRequest>) => void) | null;
  postMessage(reply: SinkReply, transfer?: Transferable[]): void;
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

function serve(scope: WorkerScope): void {
  let dir: FileSystemDirectoryHandle | null = null;
  let name = '';
  let access: SyncAccessHandle | null = null;
  let digest: FileDigest | null = null;
  let at = 0;
  let failed = false;

  async function open(request: Extract<SinkRequest, { op: 'open' }>): Promise<void> {
    const root = await navigator.storage.getDirectory();
    dir = await root.getDirectoryHandle(TRANSFER_DIR, { create: true });
    name = request.name;
    const file = await dir.getFileHandle(name, { create: true });
    const handle = await (file as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle();
    access = handle;
    // Reserves the space at once: a disk too full for the file fails now, before any byte travels,
    // and no later write has to grow the file (each growth is a quota check in the browser).
    handle.truncate(request.size);
    digest = new FileDigest(request.size);
  }

  /** Hashes and writes one block; the disk write is synchronous, so blocks land in order. */
  function store(block: Uint8Array): void {
    if (!access || !digest) throw new Error('bytes before the file was opened');
    digest.addBlock(block); // copies the bytes at once
    for (let done = 0; done < block.byteLength; ) {
      const wrote = access.write(block.subarray(done), { at });
      if (wrote <= 0) throw new Error('the disk accepted no more bytes');
      done += wrote;
      at += wrote;
    }
  }

  function close(): void {
    access?.close();
    access = null;
  }

  scope.onmessage = (event) => {
    const request = event.data;
    switch (request.op) {
      case 'open':
        return void open(request).then(
          () => scope.postMessage({ re: 'open', ok: true }),
          (err) => scope.postMessage({ re: 'open', ok: false, error: describe(err) }),
        );
      case 'block':
        if (failed) return;
        try {
          store(new Uint8Array(request.bytes, 0, request.length));
          scope.postMessage({ re: 'block', ok: true, bytes: request.bytes }, [request.bytes]);
        } catch (err) {
          failed = true;
          scope.postMessage({ re: 'block', ok: false, error: describe(err) });
        }
        return;
      case 'finish': {
        const fileDigest = digest;
        try {
          // No flush(): that is an fsync (its cost: docs/benchmarks.md), for a durability this file
          // does not need. It is deleted at session end or at the next page
          // load, and reading it back after close() sees every byte written.
          close();
        } catch (err) {
          return scope.postMessage({ re: 'finish', ok: false, error: describe(err) });
        }
        if (!fileDigest) return scope.postMessage({ re: 'finish', ok: false, error: 'finish before the file was opened' });
        return void fileDigest.hex().then(
          (sha256) => scope.postMessage({ re: 'finish', ok: true, sha256 }),
          (err) => scope.postMessage({ re: 'finish', ok: false, error: describe(err) }),
        );
      }
      case 'discard': {
        try {
          close();
        } catch {
          // Closing is best effort; deleting is what matters.
        }
        const folder = dir;
        return void (folder && name ? folder.removeEntry(name) : Promise.resolve()).then(
          () => scope.postMessage({ re: 'discard', ok: true }),
          (err) => scope.postMessage({ re: 'discard', ok: false, error: describe(err) }),
        );
      }
    }
  };
}

serve(globalThis as unknown as WorkerScope);
