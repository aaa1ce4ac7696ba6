import t from 'tap';
import { isFinal, transition, type TransferMove, type TransferState } from '../../../../web/files/transfer-machine.js';

const STATES: TransferState[] = ['offered', 'accepted', 'transferring', 'verifying', 'done', 'declined', 'cancelled', 'failed', 'mismatch'];
const MOVES: TransferMove[] = ['accept', 'decline', 'start', 'complete', 'verified', 'mismatch', 'cancel', 'fail'];

t.test('transition() allows exactly the table\'s moves and refuses every other', async (t) => {
  const allowed: Record<string, TransferState> = {
    'offered accept': 'accepted', 'offered decline': 'declined', 'offered cancel': 'cancelled', 'offered fail': 'failed',
    'accepted start': 'transferring', 'accepted complete': 'verifying', 'accepted cancel': 'cancelled', 'accepted fail': 'failed',
    'transferring complete': 'verifying', 'transferring cancel': 'cancelled', 'transferring fail': 'failed',
    'verifying verified': 'done', 'verifying mismatch': 'mismatch', 'verifying cancel': 'cancelled', 'verifying fail': 'failed',
  };
  for (const state of STATES) {
    for (const move of MOVES) t.equal(transition(state, move), allowed[`${state} ${move}`] ?? null, `${state} --${move}-->`);
  }
  t.same(STATES.filter(isFinal), ['done', 'declined', 'cancelled', 'failed', 'mismatch'], 'the final states allow nothing');
});
