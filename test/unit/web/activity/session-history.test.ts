import t from 'tap';
import { HISTORY_TTL_MS, SessionHistory, savedTransfers, type KeyValueStorage } from '../../../../web/activity/session-history.js';
import type { Transfer } from '../../../../web/files/file-transfers.js';

class MapStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const record = (sessionId: string, scope = 'ab'.repeat(8)) => ({ sessionId, scope, timeline: [], transfers: [], firstCode: '123 456' });

t.test('a saved session comes back until it ends or grows old; an ended one is never saved again', async (t) => {
  let now = 1_000_000;
  const storage = new MapStorage();
  const history = new SessionHistory(storage, () => now);
  t.equal(history.load('s1'), null);
  history.save(record('s1'));
  t.equal(history.load('s1')?.firstCode, '123 456');
  t.equal(history.load('other'), null, 'per session');
  now += HISTORY_TTL_MS + 1;
  t.equal(history.load('s1'), null, 'too old: forgotten');
  now += 1;
  history.save(record('s2', 'cd'.repeat(8)));
  history.save(record('s3', 'ef'.repeat(8)));
  storage.setItem('relaydesk.session.s4', '{not json');
  t.same([...history.purge()].sort(), ['cd'.repeat(8), 'ef'.repeat(8)], 'the files of sessions still kept stay');
  t.notOk(storage.map.has('relaydesk.session.s1'), 'old records are removed at purge');
  t.notOk(storage.map.has('relaydesk.session.s4'), 'and broken ones');
  const removed: string[] = [];
  history.end('s2', async (scope) => removed.push(scope), 0);
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(removed, ['cd'.repeat(8)], 'its files go');
  t.equal(history.load('s2'), null);
  history.save(record('s2'));
  t.equal(history.load('s2'), null, 'a late save of an ended session is refused');
  const blocked = new SessionHistory({ get length(): number { throw new Error('blocked'); }, key: () => null, getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); }, removeItem: () => undefined });
  t.doesNotThrow(() => blocked.save(record('x')), 'blocked storage: the session goes on without it');
  t.equal(blocked.load('x'), null);
});

t.test('saved transfers carry no bytes; one still running ends as interrupted by the reload', async (t) => {
  const base = { direction: 'in' as const, name: 'a', size: 10, mime: '', bytes: 5, bytesPerSecond: 100, secondsLeft: 1 };
  const transfers: Transfer[] = [
    { ...base, id: '1', state: 'done', blob: new Blob(['x']) },
    { ...base, id: '2', state: 'transferring', interrupted: true },
  ];
  const saved = savedTransfers(transfers, (tr) => tr.state === 'done');
  t.notOk('blob' in saved[0]);
  t.equal(saved[0].state, 'done');
  t.same([saved[1].state, saved[1].failReason, saved[1].secondsLeft], ['failed', 'pageReloaded', null]);
  t.notOk('interrupted' in saved[1]);
});
