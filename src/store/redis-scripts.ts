/**
 * The Lua scripts that make the Redis engine's multi-step operations atomic. ioredis sends them
 * with EVALSHA and falls back to EVAL when Redis answers NOSCRIPT (its script cache is empty after
 * a restart), so nothing has to load them first.
 *
 * A record is a hash: v (value), p (principal), c (createdAt ms), u (updatedAt ms), r (revision).
 * Each principal's records in a namespace are a sorted set scored by createdAt, whose own TTL is
 * stretched to the longest TTL written into it; entries whose record expired are pruned as `list`
 * meets them. Scripts that only learn the principal inside build that set's key from a prefix
 * argument, which is fine on one Redis (Redis Cluster is not supported).
 */
import type { Redis } from 'ioredis';

/** Tuple shapes the scripts return (RESP3 with ioredis's legacy mapping: integers and strings). */
type RevisionAndCreated = [number, string];

/** The scripts as ioredis `defineCommand`s, and the methods they add to the client. */
export interface RecordScripts {
  /** KEYS: record, index. ARGV: value, principal, now, ttl, id. 1 = created, 0 = exists. */
  storeCreate(record: string, index: string, value: string, principal: string, now: number, ttlMs: number, id: string): Promise<number>;
  /** KEYS: record, index. ARGV: value, principal, now, ttl, id. [revision, createdAt], revision -1 = owned by another. */
  storePut(record: string, index: string, value: string, principal: string, now: number, ttlMs: number, id: string): Promise<RevisionAndCreated>;
  /** KEYS: record. ARGV: expected revision, value, now, ttl, index prefix. [revision, principal, createdAt] or null. */
  storeUpdate(record: string, expectedRevision: number, value: string, now: number, ttlMs: number, indexPrefix: string): Promise<[number, string, string] | null>;
  /** KEYS: record. ARGV: index prefix, id. 1 = deleted, 0 = none. */
  storeDelete(record: string, indexPrefix: string, id: string): Promise<number>;
  /** KEYS: index. ARGV: record prefix, limit, principal. [[id, v, c, u, r], …] newest first. */
  storeList(index: string, recordPrefix: string, limit: number, principal: string): Promise<Array<[string, string, string, string, string]>>;
  /** KEYS: lease. ARGV: token, ttl. 1 = renewed, 0 = not the holder. */
  storeRenewLease(lease: string, token: string, ttlMs: number): Promise<number>;
  /** KEYS: lease. ARGV: token. 1 = released, 0 = not the holder. */
  storeReleaseLease(lease: string, token: string): Promise<number>;
}

/** A client with the {@link RecordScripts} defined on it. */
export type ScriptedRedis = Redis & RecordScripts;

const STRETCH_INDEX_TTL = `
local function stretch(key, ttl)
  if redis.call('PTTL', key) < tonumber(ttl) then redis.call('PEXPIRE', key, ttl) end
end`;

/** `scripts` option for the ioredis constructor; names match {@link RecordScripts}. */
export const RECORD_SCRIPTS = {
  storeCreate: {
    numberOfKeys: 2,
    lua: `${STRETCH_INDEX_TTL}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'p', ARGV[2], 'c', ARGV[3], 'u', ARGV[3], 'r', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
stretch(KEYS[2], ARGV[4])
return 1`,
  },
  storePut: {
    numberOfKeys: 2,
    lua: `${STRETCH_INDEX_TTL}
local owner = redis.call('HGET', KEYS[1], 'p')
if owner and owner ~= ARGV[2] then return {-1, '0'} end
local created = ARGV[3]
if owner then
  created = redis.call('HGET', KEYS[1], 'c')
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 'u', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'v', ARGV[1], 'p', ARGV[2], 'c', ARGV[3], 'u', ARGV[3], 'r', 0)
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
end
local revision = redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
stretch(KEYS[2], ARGV[4])
return {revision, created}`,
  },
  storeUpdate: {
    numberOfKeys: 1,
    lua: `${STRETCH_INDEX_TTL}
local current = redis.call('HMGET', KEYS[1], 'r', 'p', 'c')
if not current[1] or current[1] ~= ARGV[1] then return false end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'u', ARGV[3])
local revision = redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
stretch(ARGV[5] .. current[2], ARGV[4])
return {revision, current[2], current[3]}`,
  },
  storeDelete: {
    numberOfKeys: 1,
    lua: `
local owner = redis.call('HGET', KEYS[1], 'p')
if not owner then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[1] .. owner, ARGV[2])
return 1`,
  },
  // Reads the index newest first in pages of \`limit\`, skipping (and pruning) entries whose
  // record expired or now belongs to someone else, until \`limit\` records are found.
  storeList: {
    numberOfKeys: 1,
    lua: `
local limit = tonumber(ARGV[2])
local out = {}
local start = 0
while #out < limit do
  local ids = redis.call('ZREVRANGE', KEYS[1], start, start + limit - 1)
  if #ids == 0 then break end
  local dead = {}
  for _, id in ipairs(ids) do
    local r = redis.call('HMGET', ARGV[1] .. id, 'v', 'p', 'c', 'u', 'r')
    if r[1] and r[2] == ARGV[3] then
      if #out < limit then out[#out + 1] = {id, r[1], r[3], r[4], r[5]} end
    else
      dead[#dead + 1] = id
    end
  end
  if #dead > 0 then redis.call('ZREM', KEYS[1], unpack(dead)) end
  start = start + #ids - #dead
end
return out`,
  },
  storeRenewLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`,
  },
  storeReleaseLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`,
  },
} as const satisfies Record<keyof RecordScripts, { numberOfKeys: number; lua: string }>;
