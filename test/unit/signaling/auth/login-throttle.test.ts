import t from 'tap';
import { MemoryKnownAddresses } from '../../../../signaling/auth/known-addresses.js';
import { MemoryLoginThrottle } from '../../../../signaling/auth/login-throttle.js';
import { countersContract } from '../../../helpers/counters-contract.js';

// One node's memory; the same contract runs against Redis in test/integration/redis-counters.test.ts.
countersContract(t, async (clock, options) => {
  const counters = { throttle: new MemoryLoginThrottle(clock, options), known: new MemoryKnownAddresses(clock), close: async () => undefined };
  return [counters, counters];
});
