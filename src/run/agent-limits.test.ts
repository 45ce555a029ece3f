import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../test/helpers/agent.js';
import type { AgentDefinition } from '../agents/definition.js';
import { effectiveLimits } from './agent-limits.js';

const agent = (fields: Partial<Pick<AgentDefinition, 'maxDurationSeconds' | 'maxCostUsd'>>) => makeAgent('limited', fields);

describe('effectiveLimits', () => {
  it("keeps the server's limits when the agent sets none", () => {
    expect(effectiveLimits(agent({}), { maxDurationMs: 60_000, maxCostUsd: 2 })).toEqual({ maxDurationMs: 60_000, maxCostUsd: 2 });
    expect(effectiveLimits(agent({}), {})).toEqual({});
  });

  it("lets an agent's own values tighten the server's, never loosen them", () => {
    expect(effectiveLimits(agent({ maxDurationSeconds: 30, maxCostUsd: 0.5 }), { maxDurationMs: 60_000, maxCostUsd: 2 })).toEqual({ maxDurationMs: 30_000, maxCostUsd: 0.5 });
    expect(effectiveLimits(agent({ maxDurationSeconds: 600, maxCostUsd: 9 }), { maxDurationMs: 60_000, maxCostUsd: 2 })).toEqual({ maxDurationMs: 60_000, maxCostUsd: 2 });
    expect(effectiveLimits(agent({ maxCostUsd: 1 }), {})).toEqual({ maxCostUsd: 1 });
  });
});
