import t from 'tap';
import { checkTimeZone, parseQueueHours, QueueHours } from '../../../signaling/queue-hours.js';

const QUEUES = ['general', 'printers'];
const at = (iso: string) => Date.parse(iso);

t.test('parseQueueHours() reads days and intervals per queue', async (t) => {
  const hours = parseQueueHours('printers=Mon-Fri 09:00-12:00 13:30-17:00, Sat 09:00-12:00; general=daily 00:00-24:00', QUEUES);
  t.same(hours.get('printers')![0], [[540, 720], [810, 1020]], 'Monday: two intervals');
  t.same(hours.get('printers')![5], [[540, 720]], 'Saturday');
  t.same(hours.get('printers')![6], [], 'Sunday: closed');
  t.same(hours.get('general')![3], [[0, 1440]], 'daily, all day');
  t.same(parseQueueHours('printers=Mon,Wed 08:00-10:00', QUEUES).get('printers')!.map((d) => d.length), [1, 0, 1, 0, 0, 0, 0], 'a list of days without a space');
  t.equal(parseQueueHours('', QUEUES).size, 0, 'none: every queue always open');
});

t.test('parseQueueHours() refuses what it cannot read, saying what to write', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['nope=Mon 08:00-10:00', /must start with one of the queue ids \(general, printers\)/],
    ['printers=Mon', /needs days and at least one interval/],
    ['printers=Mon 18:00-08:00', /ends before it starts; split a night/],
    ['printers=Mon 25:00-26:00', /not a time of day/],
    ['printers=Mon 08:60-09:00', /not a time of day/],
    ['printers=Fri-Mon 08:00-09:00', /not a day or a range of days/],
    ['printers=Mon 08:00-09:00; printers=Tue 08:00-09:00', /named twice/],
  ];
  for (const [raw, message] of cases) t.throws(() => parseQueueHours(raw, QUEUES), { message }, raw);
  t.throws(() => checkTimeZone('Mars/Olympus'), { message: /not a time zone; use an IANA name/ });
  t.doesNotThrow(() => checkTimeZone('Europe/Paris'));
});

t.test('QueueHours: open within the intervals in its time zone; opensAt is the next opening, across a weekend', async (t) => {
  const hours = new QueueHours(parseQueueHours('printers=Mon-Fri 08:00-18:00', QUEUES), 'Europe/Paris');
  t.equal(hours.isOpen('general', at('2026-12-06T03:00:00Z')), true, 'no hours: always open');
  t.equal(hours.isOpen('printers', at('2026-12-02T07:00:00Z')), true, 'Wednesday 08:00 Paris (07:00 UTC): open');
  t.equal(hours.isOpen('printers', at('2026-12-02T06:59:00Z')), false, 'a minute before');
  t.equal(hours.isOpen('printers', at('2026-12-02T17:00:00Z')), false, '18:00: closed (the end is not included)');
  t.equal(hours.opensAt('printers', at('2026-12-02T12:00:00Z')), undefined, 'open: no opening to wait for');
  t.equal(hours.opensAt('printers', at('2026-12-04T18:00:00Z')), at('2026-12-07T07:00:00Z'), 'Friday evening → Monday 08:00');
  t.equal(hours.opensAt('printers', at('2026-12-02T05:10:30Z')), at('2026-12-02T07:00:00Z'), 'early morning → the same day');
});

t.test('QueueHours: opensAt lands on the local opening time across a daylight-saving change', async (t) => {
  const hours = new QueueHours(parseQueueHours('printers=Mon-Fri 08:00-18:00', QUEUES), 'Europe/Paris');
  // Paris moves from UTC+1 to UTC+2 on Sunday 2027-03-28: Friday 18:00 → Monday 08:00 is 06:00 UTC.
  t.equal(hours.opensAt('printers', at('2027-03-26T18:00:00Z')), at('2027-03-29T06:00:00Z'));
  // And back to UTC+1 on 2026-10-25: Monday 08:00 is 07:00 UTC.
  t.equal(hours.opensAt('printers', at('2026-10-23T18:00:00Z')), at('2026-10-26T07:00:00Z'));
});
