/**
 * An AgentDefinition built in code, for tests that need an agent but not a file.
 */
import type { AgentDefinition } from '../../src/agents/definition.js';

/** A plain agent named `name` (tool name alike), with `overrides` applied. */
export function makeAgent(name: string, overrides: Partial<AgentDefinition> = {}): AgentDefinition {
  return {
    name,
    toolName: name,
    title: name,
    description: `The ${name} agent.`,
    prompt: `You are ${name}.`,
    disallowedTools: [],
    model: 'inherit',
    extra: {},
    file: `/agents/${name}.md`,
    source: `---\nname: ${name}\n---\nYou are ${name}.\n`,
    warnings: [],
    ...overrides,
  };
}
