import t from 'tap';
import { removeOrphanedFiles, removeScopeFiles, SessionFiles, type FileFolder, type Locks } from '../../../../web/files/session-files.js';

// Small fakes of the browser's Origin Private File System folder and of the Web Locks API.
class FakeFolder implements FileFolder {
  readonly names = new Set<string>();
  async *keys(): AsyncIterable<string> {
    for (const name of [...this.names]) yield name;
  }
  async removeEntry(name: string): Promise<void> {
    if (!this.names.delete(name)) throw new Error('NotFoundError');
  }
}

class FakeLocks implements Locks {
  readonly held = new Set<string>();
  private readonly queues = new Map<string, Array<() => void>>();
  async request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown> {
    if (this.held.has(name)) {
      if (options.ifAvailable) return callback(null);
      await new Promise<void>((resolve) => this.queues.set(name, [...(this.queues.get(name) ?? []), resolve]));
    }
    this.held.add(name);
    try {
      return await callback({ name });
    } finally {
      this.held.delete(name);
      this.queues.get(name)?.shift()?.();
    }
  }
}

/** One browser origin: its OPFS folder and its locks, shared by every page (tab) of it. */
function origin() {
  const folder = new FakeFolder();
  const locks = new FakeLocks();
  return { folder, locks, session: () => new SessionFiles(async () => folder, locks) };
}

t.test('a session\'s end removes its own files only, never those of the next session', async (t) => {
  const { folder, session } = origin();
  const first = session();
  await first.ready();
  folder.names.add(first.fileName('a'));
  folder.names.add(first.fileName('b'));
  // The analyst takes the next ticket while the first session's files wait for their grace.
  const next = session();
  await next.ready();
  folder.names.add(next.fileName('c'));
  const end = async (files: SessionFiles) => {
    await removeScopeFiles(files.scope, async () => folder);
    files.release();
  };
  await end(first);
  t.same([...folder.names], [next.fileName('c')], 'the next session\'s file is still there');
  await end(first);
  t.same([...folder.names], [next.fileName('c')], 'ending it twice changes nothing');
  await end(next);
  t.same([...folder.names], [], 'and it goes with its own session');
});

t.test('a page load removes the files of sessions no page holds any more, and keeps the others', async (t) => {
  const { folder, locks, session } = origin();
  const crashed = session();
  await crashed.ready();
  folder.names.add(crashed.fileName('lost'));
  const running = session();
  await running.ready();
  folder.names.add(running.fileName('kept'));
  folder.names.add('legacy-transfer-id'); // an older version's name, with no session
  // The crashed page's lock died with it (a closed tab releases its locks).
  locks.held.delete(`relaydesk-files:${crashed.scope}`);
  const removed = await removeOrphanedFiles(async () => folder, locks);
  t.equal(removed, 2);
  t.same([...folder.names], [running.fileName('kept')], 'the running session (another tab) keeps its file');
});

t.test('without OPFS or Web Locks nothing is removed and nothing throws', async (t) => {
  t.equal(await removeOrphanedFiles(async () => null, new FakeLocks()), 0);
  const folder = new FakeFolder();
  folder.names.add('x.y');
  t.equal(await removeOrphanedFiles(async () => folder, null), 0, 'no locks: no way to tell an orphan from a running session');
  const files = new SessionFiles(async () => folder, null);
  await files.ready();
  folder.names.add(files.fileName('z'));
  await removeScopeFiles(files.scope, async () => folder);
  t.same([...folder.names], ['x.y'], 'a session still clears its own');
});
