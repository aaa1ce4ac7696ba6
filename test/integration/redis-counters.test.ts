import t from 'tap';
import { RedisLink } from '../../signaling/redis/link.js';
import { RedisKnownAddresses, RedisLoginThrottle } from '../../signaling/redis/redis-counters.js';
import { countersContract } from '../helpers/counters-contract.js';
import { startRedis } from '../helpers/redis.js';

// The lock-out and known addresses of two nodes sharing one real redis-server: the same contract
// as one node's memory.
const redis = await startRedis();
t.teardown(() => redis.stop());
let n = 0;

countersContract(t, async (clock, options) => {
  const prefix = `counters${n++}:`;
  const node = async () => {
    const link = await RedisLink.connect(redis.url, prefix);
    return { throttle: new RedisLoginThrottle(link, clock, options), known: new RedisKnownAddresses(link, clock), close: () => link.close() };
  };
  return [await node(), await node()];
});
