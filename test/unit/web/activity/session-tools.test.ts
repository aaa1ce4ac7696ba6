import t from 'tap';
import { SessionTools } from '../../../../web/activity/session-tools.js';
import type { SessionConnection } from '../../../../web/session/session-connection.js';
import { PeerChannels } from '../../../../web/session/peer-channels.js';
import { Emitter } from '../../../../web/emitter.js';
import { FakePeerConnection, joinChannels } from '../../../fakes/webrtc.js';
import { until } from '../../../helpers/until.js';

// The session's tools (chat, pushed links, the log, the verification code) on fake connections:
// real PeerChannels over fake data channels joined end to end, with the keys each end negotiated.
function pair(customerKey = 'sha-256 CC', analystKey = 'sha-256 AA', seen: { byCustomer?: string; byAnalyst?: string } = {}) {
  const [customerPc, analystPc] = [new FakePeerConnection(), new FakePeerConnection()];
  joinChannelsLater(customerPc, analystPc);
  const end = (pc: FakePeerConnection, role: 'customer' | 'analyst', local: string, remote: string) => {
    const events = new Emitter<{ negotiated: []; refused: [] }>();
    const channels = new PeerChannels(pc as never, role === 'customer' ? 'analyst' : 'customer');
    return {
      role,
      channels,
      isClosed: false,
      readKeys: async () => (pc.channel('control').readyState === 'open' ? { ok: true, local, remote } : null),
      onNegotiated: (listener: () => void) => events.on('negotiated', listener),
      onNegotiationRefused: (listener: () => void) => events.on('refused', listener),
      negotiation: events,
      abandoned: false,
      abandon() {
        this.abandoned = true;
      },
    };
  };
  const customer = end(customerPc, 'customer', customerKey, seen.byCustomer ?? analystKey);
  const analyst = end(analystPc, 'analyst', analystKey, seen.byAnalyst ?? customerKey);
  return {
    customerPc,
    analystPc,
    customer: customer as unknown as SessionConnection,
    analyst: analyst as unknown as SessionConnection,
    refuse: () => customer.negotiation.emit('refused'),
    open: () => {
      for (const label of ['control', 'file', 'input']) {
        customerPc.channel(label).open();
        analystPc.channel(label).open();
      }
    },
  };
}

/** The channels exist once PeerChannels made them: join them then. */
function joinChannelsLater(a: FakePeerConnection, b: FakePeerConnection) {
  queueMicrotask(() => joinChannels(a, b, ['control', 'file', 'input']));
}

t.test('chat both ways, unread counts, pushed links checked on arrival', async (t) => {
  const first = pair();
  const tools = new SessionTools(first.analyst, { me: 'Alice', peer: 'Ann' });
  await Promise.resolve();
  first.open();
  t.teardown(() => tools.dispose('sessionEnded'));
  t.ok(tools.sendChat('  hello  '));
  t.match(JSON.parse(String(first.analystPc.channel('control').sent.at(-1))), { type: 'chat', text: 'hello' }, 'trimmed, on the control channel');
  t.notOk(tools.sendChat('   '), 'an empty message is not sent');
  first.analystPc.channel('control').receive(JSON.stringify({ type: 'chat', id: 'c1', text: 'hi Alice', sentAt: 1 }));
  t.equal(tools.unread, 1);
  tools.markRead();
  t.equal(tools.unread, 0);
  t.same(tools.timeline.filter((e) => e.kind === 'chat').map((e) => e.kind === 'chat' && `${e.from}:${e.text}`), ['me:hello', 'peer:hi Alice']);
  t.equal(tools.pushUrl('javascript:alert(1)'), 'scheme', 'a dangerous pushed link is refused before sending');
});

t.test('the verification code is worked out by both pages; the same on a new connection; other keys mark it changed and log it once', async (t) => {
  const first = pair();
  const customer = new SessionTools(first.customer, { me: 'Ann', peer: 'Alice' });
  const analyst = new SessionTools(first.analyst, { me: 'Alice', peer: 'Ann' });
  t.teardown(() => (customer.dispose('sessionEnded'), analyst.dispose('sessionEnded')));
  t.equal(customer.code, null, 'nothing before the channels open');
  await Promise.resolve();
  first.open();
  await until('both codes', () => customer.code !== null && analyst.code !== null, 2000);
  const original = customer.code!;
  t.match(original.value, /^\d{3} \d{3}$/);
  t.same(analyst.code, original, 'the same code on both pages');

  const same = pair();
  customer.attach(same.customer);
  analyst.attach(same.analyst);
  await Promise.resolve();
  same.open();
  await until('both codes', () => customer.code !== null && analyst.code !== null, 2000);
  t.same(customer.code, original, 'the same certificates on a new connection: the same code, not marked');

  const logged = (tools: SessionTools, key: string) => tools.timeline.filter((e) => e.kind === 'event' && e.key === key).length;
  const other = pair('sha-256 C2');
  customer.attach(other.customer);
  analyst.attach(other.analyst);
  await Promise.resolve();
  other.open();
  await until('both codes', () => customer.code !== null && analyst.code !== null && customer.code.value !== original.value, 2000);
  t.equal(customer.code?.changed, true, 'new keys show as a changed code');
  t.same(analyst.code, customer.code);
  t.equal(logged(customer, 'tools.event.codeChanged'), 1);
  t.equal(logged(analyst, 'tools.event.codeChanged'), 1);

  customer.verification.confirm();
  await until('the analyst logs it', () => logged(analyst, 'tools.event.codeConfirmed.peer') === 1, 2000);
  t.equal(logged(customer, 'tools.event.codeConfirmed.me'), 1, 'yes is logged on both pages');
  await until('the new connection in the log', () => customer.timeline.some((e) => e.kind === 'event' && e.key === 'tools.event.relinked'), 2000);

  other.refuse();
  await until('the alarm in both logs', () => logged(analyst, 'tools.event.alarm.renegotiationRefused') === 1, 2000);
  t.equal(logged(customer, 'tools.event.alarm.renegotiationRefused'), 1);
  t.ok((other.customer as unknown as { abandoned: boolean }).abandoned, 'the connection that negotiated it is given up');
});
