import { describe, expect, it } from 'vitest';
import { StoreLocationSchema } from './store-url.js';

describe('StoreLocationSchema (--store)', () => {
  it.each(['', 'memory', ' memory '])('%j is the in-memory store', (value) => {
    expect(StoreLocationSchema.parse(value)).toEqual({ engine: 'memory' });
  });

  it('reads host, port and database from a redis:// URL, defaulting port 6379 and db 0', () => {
    expect(StoreLocationSchema.parse('redis://redis.internal:6380/2')).toEqual({
      engine: 'redis',
      url: 'redis://redis.internal:6380/2',
      target: 'redis://redis.internal:6380/2',
      db: 2,
    });
    expect(StoreLocationSchema.parse('rediss://cache.example.com')).toMatchObject({ target: 'rediss://cache.example.com:6379/0', db: 0 });
  });

  it('keeps credentials for the client but out of the target used in logs and errors', () => {
    const location = StoreLocationSchema.parse('redis://agents:s3cret-pass@10.0.0.5:6379/1');
    expect(location).toMatchObject({ url: 'redis://agents:s3cret-pass@10.0.0.5:6379/1', target: 'redis://10.0.0.5:6379/1' });
  });

  it.each([
    ['postgres://db/1', /not a redis:\/\/ URL/],
    ['redis://host/abc', /the database "abc" is not a number/],
    ['redis://host/0?tls=1', /query strings/],
    ['localhost:6379', /not a redis:\/\/ URL/],
  ])('refuses %j naming --store and what it accepts', (value, why) => {
    const result = StoreLocationSchema.safeParse(value);
    expect(result.success).toBe(false);
    const message = result.error!.issues[0]!.message;
    expect(message).toMatch(why);
    expect(message).toContain('--store');
    expect(message).toContain('redis://host:port/db');
  });

  it('never repeats a password in its error', () => {
    const result = StoreLocationSchema.safeParse('redis://user:hunter2-secret@host/x');
    expect(result.error!.issues[0]!.message).not.toContain('hunter2-secret');
  });
});
