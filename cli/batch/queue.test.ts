import { describe, expect, it } from 'vitest';
import { connectRedis, redisConnection } from './queue.ts';

describe('Redis connection', () => {
  it('refuses a --redis that is not a URL, saying what it expected', () => {
    expect(() => redisConnection('127.0.0.1:6379')).toThrow('--redis: expected a URL like redis://127.0.0.1:6379, received "127.0.0.1:6379"');
  });

  it('says no Redis answered instead of retrying forever', async () => {
    await expect(connectRedis('redis://127.0.0.1:1', 1000)).rejects.toThrow(/^no Redis answered at redis:\/\/127\.0\.0\.1:1 within 1 s \(connect ECONNREFUSED 127\.0\.0\.1:1\); start one \(redis-server\) or fix --redis$/);
  });
});
