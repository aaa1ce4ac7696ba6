import t from 'tap';
import { MemoryTicketStore } from '../../../../signaling/store/memory-store.js';
import { storeContract } from '../../../helpers/store-contract.js';
import { storeProperties } from '../../../helpers/store-properties.js';

storeContract(t, async (clock) => new MemoryTicketStore(clock));

// Random histories (fast-check); the same properties run against two nodes on Redis in test/integration/redis-store.test.ts.
storeProperties(t, async (clock) => {
  const store = new MemoryTicketStore(clock);
  return { nodes: [store, store], settle: async () => undefined, close: () => store.close() };
}, { numRuns: 300, maxSteps: 60 });
