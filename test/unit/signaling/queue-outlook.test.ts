import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { QueueHours, parseQueueHours } from '../../../signaling/queue-hours.js';
import { minutesOf, QueueOutlooks, TAKE_WINDOW_MS, TAKES_KEPT } from '../../../signaling/queue-outlook.js';
import { MemoryTeamPresence, mergeEntries, teamOf, type PresenceEntry } from '../../../signaling/team-presence.js';

const entry = (analystId: string, over: Partial<PresenceEntry> = {}): PresenceEntry => ({ analystId, name: analystId, status: 'available', since: 0, queues: ['general'], sessionId: null, ...over });

function setup() {
  const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
  const team = new MemoryTeamPresence();
  const outlooks = new QueueOutlooks(clock, new QueueHours(new Map()), team);
  return { clock, team, outlooks };
}

t.test('minutesOf() rounds up to whole minutes, 0 under a minute', async (t) => {
  t.same([0, 59_999, 60_000, 60_001, 150_000].map(minutesOf), [0, 0, 1, 2, 3]);
  t.same([10, 11, 24, 60, 61, 100].map((m) => minutesOf(m * 60_000)), [10, 15, 25, 60, 75, 105], 'coarser for long waits: 5 minutes up to an hour, then 15');
});

t.test('the estimate is the place times the recent interval between takes, measured up to now', async (t) => {
  const { clock, team, outlooks } = setup();
  team.report([entry('bob')]);
  t.equal(outlooks.estimateMs('general', 1), null, 'no takes: unknown');
  outlooks.recordTake('general');
  t.equal(outlooks.estimateMs('general', 1), null, 'one take: still unknown');
  clock.advance(60_000);
  outlooks.recordTake('general');
  clock.advance(60_000);
  t.equal(outlooks.estimateMs('general', 1), 60_000, '2 takes over 2 minutes: a minute each');
  t.equal(outlooks.estimateMs('general', 4), 240_000);
  t.equal(outlooks.estimateMs('printers', 1), null, 'per queue');
  t.same(outlooks.outlook('general', 4), { open: true, analystsOnline: 1, analystsAvailable: 1, estimatedMinutes: 4 });
  clock.advance(TAKE_WINDOW_MS);
  t.equal(outlooks.estimateMs('general', 1), null, 'takes older than the window are forgotten');
});

t.test('only the last TAKES_KEPT takes count', async (t) => {
  const { clock, outlooks } = setup();
  for (let i = 0; i < TAKES_KEPT + 10; i++) {
    outlooks.recordTake('general');
    clock.advance(i < 10 ? 60_000 : 1000);
  }
  // The 50 kept were 1 s apart, the last one 1 s ago: 50 s for 50 takes.
  t.equal(outlooks.estimateMs('general', 1), 1000);
});

t.test('no estimate without an analyst online, or while the queue is closed', async (t) => {
  const clock = new ManualClock(Date.parse('2026-12-02T20:00:00Z'));
  const team = new MemoryTeamPresence();
  const outlooks = new QueueOutlooks(clock, new QueueHours(parseQueueHours('printers=Mon-Fri 08:00-18:00', ['general', 'printers'])), team);
  outlooks.recordTake('general');
  outlooks.recordTake('printers');
  clock.advance(60_000);
  outlooks.recordTake('general');
  outlooks.recordTake('printers');
  t.same(outlooks.outlook('general', 1), { open: true, analystsOnline: 0, analystsAvailable: 0 }, 'no one online');
  team.report([entry('carol', { queues: ['printers'] })]);
  t.same(outlooks.outlook('printers', 1), { open: false, opensAt: Date.parse('2026-12-03T08:00:00Z'), analystsOnline: 1, analystsAvailable: 0 + 1 }, 'closed: when it opens, no estimate');
});

t.test('the team: one entry per analyst however many consoles; available if any console is; in a session is busy', async (t) => {
  const merged = mergeEntries([
    entry('bob', { status: 'away', since: 5 }),
    entry('bob', { status: 'available', since: 9 }),
    entry('ann', { status: 'away', since: 7 }),
    entry('ann', { status: 'away', since: 3 }),
    entry('cid', { sessionId: 's1', queues: ['general', 'printers'] }),
  ]);
  t.same(merged.map((e) => [e.analystId, e.status, e.since]), [['bob', 'available', 9], ['ann', 'away', 3], ['cid', 'available', 0]]);
  t.same(teamOf(merged, ['general', 'printers']), [{ queue: 'general', online: 3, available: 1 }, { queue: 'printers', online: 1, available: 0 }]);
  const team = new MemoryTeamPresence();
  let changes = 0;
  team.onChange(() => changes++);
  team.onChange(() => {
    throw new Error('a broken listener');
  });
  team.report([entry('bob')]);
  team.report([entry('bob')]);
  t.equal(changes, 1, 'the same report again is no change; a throwing listener does not stop the others');
});
