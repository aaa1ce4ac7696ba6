import t from 'tap';
import { MemoryTicketStore } from '../../../../signaling/store/memory-store.js';
import { storeContract } from '../../../helpers/store-contract.js';

storeContract(t, async (clock) => new MemoryTicketStore(clock));
