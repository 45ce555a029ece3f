import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../test/helpers/agent.js';
import type { AgentDefinition } from '../agents/definition.js';
import { agentLimits, tighter } from './limits.js';

const agent = (fields: Partial<Pick<AgentDefinition, 'maxTurns' | 'maxDurationSeconds' | 'maxCostUsd'>>) => makeAgent('limited', fields);

describe('tighter', () => {
  it('takes the smaller limit, and undefined as no limit', () => {
    expect(tighter(3, 5)).toBe(3);
    expect(tighter(5, 3)).toBe(3);
    expect(tighter(undefined, 3)).toBe(3);
    expect(tighter(3, undefined)).toBe(3);
    expect(tighter(undefined, undefined)).toBeUndefined();
  });
});

describe('agentLimits', () => {
  it("keeps the server's limits when the agent sets none", () => {
    expect(agentLimits(agent({}), { maxTurns: 25, maxDurationMs: 60_000, maxCostUsd: 2 })).toEqual({ maxTurns: 25, maxDurationMs: 60_000, maxCostUsd: 2 });
    expect(agentLimits(agent({}), { maxTurns: 25 })).toEqual({ maxTurns: 25 });
  });

  it("lets an agent's own values tighten the server's, never loosen them", () => {
    const server = { maxTurns: 25, maxDurationMs: 60_000, maxCostUsd: 2 };
    expect(agentLimits(agent({ maxTurns: 4, maxDurationSeconds: 30, maxCostUsd: 0.5 }), server)).toEqual({ maxTurns: 4, maxDurationMs: 30_000, maxCostUsd: 0.5 });
    expect(agentLimits(agent({ maxTurns: 99, maxDurationSeconds: 600, maxCostUsd: 9 }), server)).toEqual(server);
    expect(agentLimits(agent({ maxCostUsd: 1 }), { maxTurns: 25 })).toEqual({ maxTurns: 25, maxCostUsd: 1 });
  });
});
