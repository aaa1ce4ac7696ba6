import t from 'tap';
import type { TicketSummary } from '../../../../protocol/index.js';
import { NOTIFICATIONS_PER_BATCH, TicketAlerts, type AlertTarget } from '../../../../web/analyst/ticket-alerts.js';

const ticket = (id: string): TicketSummary => ({ id, queue: 'general', name: `Customer ${id}`, email: '', phone: '', problem: id === 'p' ? 'Printer jam' : '', createdAt: 1, customerOnline: true, state: 'waiting' });

/** A page's title, notifications and sound, recorded. */
class FakeTarget implements AlertTarget {
  background = false;
  title = 'Console';
  notifications: Array<{ title: string; body: string; tag: string; click: () => void }> = [];
  sounds = 0;
  isBackground() {
    return this.background;
  }
  setTitle(title: string) {
    this.title = title;
  }
  notify(title: string, body: string, tag: string, onClick: () => void) {
    this.notifications.push({ title, body, tag, click: onClick });
  }
  playSound() {
    this.sounds += 1;
  }
}

function setup(settings = { notifications: true, sound: true }) {
  const target = new FakeTarget();
  const opened: string[] = [];
  const alerts = new TicketAlerts(target, 'Console', () => settings, (t) => ({ title: `New in ${t.queue}`, body: t.problem ? `${t.name}: ${t.problem}` : t.name }), (id) => opened.push(id));
  return { target, alerts, opened };
}

t.test('the first list is what is already waiting: no alert for it', async (t) => {
  const { target, alerts } = setup();
  target.background = true;
  alerts.update([ticket('a'), ticket('b')]);
  t.same(target.notifications, []);
  t.equal(target.title, 'Console');
});

t.test('a new request in the background: a count in the title, a notification, one chime; clicking opens that ticket', async (t) => {
  const { target, alerts, opened } = setup();
  alerts.update([ticket('a')]);
  target.background = true;
  alerts.update([ticket('a'), ticket('p')]);
  t.equal(target.title, '(1) Console');
  t.same(target.notifications.map((n) => [n.title, n.body, n.tag]), [['New in general', 'Customer p: Printer jam', 'p']]);
  t.equal(target.sounds, 1);
  alerts.update([ticket('a'), ticket('p'), ticket('c'), ticket('d')]);
  t.equal(target.title, '(3) Console', 'the count adds up');
  t.equal(target.sounds, 2, 'one chime per batch');
  target.notifications[0].click();
  t.same(opened, ['p']);
  alerts.seen();
  t.equal(target.title, 'Console', 'back on the console: the count goes');
  t.equal(alerts.unseenCount, 0);
});

t.test('in the foreground, or for a ticket that only changed or left: nothing', async (t) => {
  const { target, alerts } = setup();
  alerts.update([ticket('a')]);
  alerts.update([ticket('a'), ticket('b')]);
  t.same(target.notifications, [], 'the analyst sees the list');
  target.background = true;
  alerts.update([{ ...ticket('a'), customerOnline: false }, ticket('b')]);
  alerts.update([ticket('b')]);
  t.same(target.notifications, []);
  t.equal(target.title, 'Console');
});

t.test('a burst makes at most NOTIFICATIONS_PER_BATCH notifications; settings off make none', async (t) => {
  const { target, alerts } = setup();
  alerts.update([]);
  target.background = true;
  alerts.update(Array.from({ length: 10 }, (_, i) => ticket(`t${i}`)));
  t.equal(target.notifications.length, NOTIFICATIONS_PER_BATCH);
  t.equal(target.title, '(10) Console');
  const quiet = setup({ notifications: false, sound: false });
  quiet.alerts.update([]);
  quiet.target.background = true;
  quiet.alerts.update([ticket('a')]);
  t.same([quiet.target.notifications.length, quiet.target.sounds, quiet.target.title], [0, 0, '(1) Console'], 'the title counts anyway');
});
