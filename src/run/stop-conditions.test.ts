import { describe, expect, it } from 'vitest';
import { findLimitReached } from './stop-conditions.js';

describe('findLimitReached', () => {
  const state = { turns: 3, elapsedMs: 1000, costUsd: 0.2 };

  it('lets a run go on while every limit holds', () => {
    expect(findLimitReached(state, { maxTurns: 4, maxDurationMs: 2000, maxCostUsd: 1 })).toBeUndefined();
    expect(findLimitReached(state, { maxTurns: 4 })).toBeUndefined();
  });

  it('names the limit reached, at or past it', () => {
    expect(findLimitReached(state, { maxTurns: 3 })).toBe('max_turns');
    expect(findLimitReached(state, { maxTurns: 9, maxDurationMs: 1000 })).toBe('max_duration');
    expect(findLimitReached(state, { maxTurns: 9, maxCostUsd: 0.1 })).toBe('max_cost');
  });

  it('prefers the wall clock, then cost, then turns when several are reached', () => {
    expect(findLimitReached(state, { maxTurns: 1, maxDurationMs: 1, maxCostUsd: 0.1 })).toBe('max_duration');
    expect(findLimitReached(state, { maxTurns: 1, maxCostUsd: 0.1 })).toBe('max_cost');
  });
});
