import t from 'tap';
import { FileTransfers, type Transfer, type TransferEvent } from '../../../../web/files/file-transfers.js';
import { SessionFiles } from '../../../../web/files/session-files.js';
import { FakeChannelsEnd } from '../../../fakes/webrtc.js';
import { until } from '../../../helpers/until.js';

// Two FileTransfers, a customer's and an analyst's, over a fake pair of channels: the whole
// transfer protocol (offer, accept, bytes, acks, digest, verification) in milliseconds. Received
// files go to memory here (no OPFS in Node); the browser tier proves the disk path.
function session() {
  const [a, b] = FakeChannelsEnd.pair();
  const files = () => new SessionFiles(async () => null, null);
  const sender = new FileTransfers(a as never, files());
  const receiver = new FileTransfers(b as never, files());
  const events: string[] = [];
  const log = (side: string) => (event: TransferEvent) => events.push(`${side}:${event.kind}`);
  sender.onEvent(log('sender'));
  receiver.onEvent(log('receiver'));
  return { a, b, sender, receiver, events };
}

const bytesOf = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 0xff);

const only = (transfers: FileTransfers): Transfer => {
  const list = transfers.list();
  if (list.length !== 1) throw new Error(`${list.length} transfers`);
  return list[0];
};

t.test('a file is offered, accepted, sent, verified and saved intact on the other side', async (t) => {
  const { sender, receiver, events } = session();
  const data = bytesOf(300_000);
  sender.offer([new File([data], 'report.pdf', { type: 'application/pdf' })]);
  await until('the offer', () => receiver.list().length === 1, 2000);
  const offered = only(receiver);
  t.match(offered, { direction: 'in', name: 'report.pdf', size: 300_000, mime: 'application/pdf', state: 'offered' });
  await receiver.accept(offered.id);
  await until('both done', () => only(sender).state === 'done' && only(receiver).state === 'done', 2000);
  const received = new Uint8Array(await only(receiver).blob!.arrayBuffer());
  t.same(received, data, 'every byte, in order');
  t.same(events, ['sender:offered', 'receiver:offered', 'receiver:accepted', 'sender:accepted', 'receiver:done', 'sender:done']);
});

t.test('a declined file sends nothing; a file cancelled midway ends on both sides, with who cancelled', async (t) => {
  const { sender, receiver } = session();
  sender.offer([new File([bytesOf(10)], 'no.txt')]);
  await until('the offer', () => receiver.list().length === 1, 2000);
  receiver.decline(only(receiver).id);
  await until('declined', () => only(sender).state === 'declined', 2000);
  t.equal(only(sender).bytes, 0);

  const second = session();
  second.sender.offer([new File([bytesOf(4_000_000)], 'big.bin')]);
  await until('the offer', () => second.receiver.list().length === 1, 2000);
  await second.receiver.accept(only(second.receiver).id);
  await until('bytes flowing', () => only(second.receiver).bytes > 0, 2000);
  second.receiver.cancel(only(second.receiver).id);
  await until('cancelled at the sender', () => only(second.sender).state === 'cancelled', 2000);
  t.equal(only(second.receiver).cancelledBy, 'me');
  t.equal(only(second.sender).cancelledBy, 'peer');
  t.notOk(only(second.receiver).blob, 'nothing to save');
});

t.test('a byte changed in transit is caught by the digest: a mismatch on both sides, nothing to save', async (t) => {
  const { a, sender, receiver } = session();
  let flipped = false;
  a.tamper = (bytes) => {
    if (!flipped && bytes.length > 100) {
      bytes[100] ^= 0xff;
      flipped = true;
    }
  };
  sender.offer([new File([bytesOf(50_000)], 'x.bin')]);
  await until('the offer', () => receiver.list().length === 1, 2000);
  await receiver.accept(only(receiver).id);
  await until('mismatch', () => only(sender).state === 'mismatch' && only(receiver).state === 'mismatch', 2000);
  t.notOk(only(receiver).blob);
});

t.test('the transfer machine refuses moves out of order: late or repeated messages change nothing', async (t) => {
  const { a, b, sender, receiver } = session();
  sender.offer([new File([bytesOf(1000)], 'y.bin')]);
  await until('the offer', () => receiver.list().length === 1, 2000);
  const id = only(sender).id;
  // The other side says "verified" before anything was sent: ignored.
  b.sendControl({ type: 'file.verified', id, ok: true });
  await new Promise((r) => setTimeout(r, 5));
  t.equal(only(sender).state, 'offered', 'a verification before sending is ignored');
  await receiver.accept(only(receiver).id);
  await until('done', () => only(sender).state === 'done', 2000);
  b.sendControl({ type: 'file.accept', id });
  b.sendControl({ type: 'file.cancel', id });
  await new Promise((r) => setTimeout(r, 5));
  t.equal(only(sender).state, 'done', 'a finished transfer stays finished');
  t.equal(a.sentControl.filter((type) => type === 'file.sent').length, 1, 'and is sent once');
});

t.test('the connection closing fails every unfinished transfer, with the reason', async (t) => {
  const { a, sender, receiver } = session();
  sender.offer([new File([bytesOf(10)], 'a.txt'), new File([bytesOf(10)], 'b.txt')]);
  await until('the offers', () => receiver.list().length === 2, 2000);
  a.closeBoth();
  t.same(sender.list().map((x) => [x.state, x.failReason]), [['failed', 'peerLeft'], ['failed', 'peerLeft']]);
  t.same(receiver.list().map((x) => x.state), ['failed', 'failed']);
  sender.offer([new File([bytesOf(1)], 'late.txt')]);
  t.equal(sender.list().length, 2, 'nothing is offered once disposed');
});
