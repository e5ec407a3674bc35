import { describe, expect, it } from 'vitest';
import { parseShard, planShards, shardSeeds } from './shards.ts';

describe('shardSeeds', () => {
  it('splits a seed range into contiguous shards that cover it exactly once', () => {
    for (const [count, shards] of [[10, 3], [7, 7], [5, 8], [1000, 4], [1, 1]]) {
      const seen: number[] = [];
      for (let index = 0; index < shards; index++) {
        const range = shardSeeds({ start: 100, count }, { index, count: shards });
        for (let s = range.start; s < range.start + range.count; s++) seen.push(s);
      }
      expect(seen).toEqual(Array.from({ length: count }, (_, i) => 100 + i));
    }
  });

  it('gives shard sizes that differ by at most one', () => {
    const sizes = [0, 1, 2].map((index) => shardSeeds({ start: 0, count: 10 }, { index, count: 3 }).count);
    expect(sizes).toEqual([3, 3, 4]);
  });

  it('refuses an index outside the shards', () => {
    expect(() => shardSeeds({ start: 0, count: 10 }, { index: 3, count: 3 })).toThrow('expected 0 <= index < count, received 3/3');
  });
});

describe('parseShard', () => {
  it('reads i/n with a 0-based index', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3 / 4 ')).toEqual({ index: 3, count: 4 });
  });

  it.each(['4/4', '1', 'a/b', '-1/3', '1/0', ''])('refuses "%s" with what it expected', (text) => {
    expect(() => parseShard(text)).toThrow(`expected "i/n" with 0 <= i < n (i is 0-based, as JOB_COMPLETION_INDEX), received "${text}"`);
  });
});

describe('planShards', () => {
  it('makes no more shards than seeds', () => {
    expect(planShards({ start: 0, count: 3 }, 8)).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
    expect(planShards({ start: 0, count: 100 }, 4)).toHaveLength(4);
  });
});
