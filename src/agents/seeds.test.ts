/** The five bundled seed agents (/agents/*.md), one quirk each, loaded as the server would. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from './catalog.js';
import type { AgentDefinition } from './definition.js';

const SEEDS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../agents');

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog([SEEDS_DIR]);
});

function seed(toolName: string): AgentDefinition {
  const agent = catalog.byToolName.get(toolName);
  if (!agent) throw new Error(`seed ${toolName} not served; served: ${[...catalog.byToolName.keys()].join(', ')}`);
  return agent;
}

describe('bundled seed agents', () => {
  it('serves all five and skips nothing', () => {
    expect(catalog.agents.map((a) => a.toolName)).toEqual([
      'backend-engineer',
      'backend-python-expert',
      'fastapi-backend-expert',
      'llm-app-engineer',
      'python-backend-architect',
    ]);
    expect(catalog.skipped).toEqual([]);
  });

  it('backend-engineer: unquoted ": " in the description, legacy KillBash mapped', () => {
    const agent = seed('backend-engineer');
    expect(agent.description).toMatch(/^Use this agent when you need expert-level Python development/);
    expect(agent.description).toContain("<example>Context: User is building a new async message processing service");
    expect(agent.description).toMatch(/backend-engineer agent the right choice\.<\/commentary><\/example>$/);
    expect(agent.tools).toEqual([
      'Bash', 'Glob', 'Grep', 'LS', 'Read', 'Edit', 'MultiEdit', 'Write', 'NotebookEdit', 'WebFetch', 'TodoWrite', 'WebSearch',
      'mcp__deepwiki__read_wiki_structure', 'mcp__deepwiki__read_wiki_contents', 'mcp__deepwiki__ask_question',
      'mcp__context7__resolve-library-id', 'mcp__context7__get-library-docs', 'mcp__sequential-thinking__sequentialthinking',
      'ReadMcpResourceTool', 'ListMcpResourcesTool', 'BashOutput', 'TaskStop',
    ]);
    expect(agent.model).toBe('inherit');
    expect(agent.extra).toEqual({ color: 'green' });
    expect(agent.prompt).toMatch(/^You are an elite Python software engineer/);
    expect(agent.warnings.map((w) => [w.code, w.line])).toEqual([['lenient-front-matter', 3]]);
  });

  it('python-backend-architect: literal \\n in the description become line breaks', () => {
    const agent = seed('python-backend-architect');
    expect(agent.model).toBe('opus');
    expect(agent.tools).toBeUndefined();
    expect(agent.description).toContain('<example>Context: User needs help designing a FastAPI service with gRPC support.\nuser: "I need to create');
    expect(agent.description).not.toContain('\\n');
    expect(agent.extra).toEqual({ color: 'green' });
    expect(agent.prompt).toMatch(/^You are an elite Python backend architect/);
  });

  it('backend-python-expert: no front matter, escaped Markdown undone in the prompt only', () => {
    const agent = seed('backend-python-expert');
    expect(agent.name).toBe('backend-python-expert');
    expect(agent.title).toBe('Backend Python Expert Agent');
    expect(agent.description).toBe(
      'You are a **Senior Backend Python Expert** who combines **backend architecture** skills with **hands-on Python development**.',
    );
    expect(agent.model).toBe('inherit');
    expect(agent.tools).toBeUndefined();
    expect(agent.prompt).toMatch(/^# Backend Python Expert Agent\n/);
    expect(agent.prompt).toContain('### Architecture & Design');
    expect(agent.prompt).not.toMatch(/\\[#*&-]|&nbsp;|\u2011/);
    expect(agent.source).toMatch(/^\\# Backend Python Expert Agent/);
    expect(agent.source).toContain('&nbsp;');
    expect(agent.warnings.map((w) => w.code)).toEqual(['no-front-matter']);
  });

  it('fastapi-backend-expert: <example> blocks written with \\n on one line', () => {
    const agent = seed('fastapi-backend-expert');
    expect(agent.model).toBe('opus');
    expect(agent.tools).toBeUndefined();
    expect(agent.description).toMatch(/^Use this agent when you need expert guidance on FastAPI backend development, including:\n\n<example>\nContext: /);
    expect(agent.description.match(/<example>/g)).toHaveLength(4);
    expect(agent.extra).toEqual({ color: 'yellow' });
  });

  it('llm-app-engineer: clean YAML, extra keys kept with their types', () => {
    const agent = seed('llm-app-engineer');
    expect(agent.model).toBe('sonnet');
    expect(agent.tools).toBeUndefined();
    expect(agent.description).toBe('Implement LLM applications with async patterns, streaming, error handling, prompt engineering, and observability');
    expect(agent.extra).toEqual({ category: 'implementation', pattern_version: '1.0', color: 'cyan' });
    expect(agent.prompt).toMatch(/^# LLM Application Engineer\n/);
    expect(agent.warnings).toEqual([]);
  });
});
