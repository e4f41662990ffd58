// The tests use the same throwaway redis-server as the demo.
export { startRedis, freePort, type TestRedis } from '../../plugin/demo/throwaway-redis.js';
