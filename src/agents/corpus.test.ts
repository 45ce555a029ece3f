/**
 * The real-world corpus (test/fixtures/corpus: 332 agent files from three public MIT
 * collections, see test/fixtures/README.md). Every file is accounted for: served, or skipped for a stated reason.
 * The folder must be there; a missing corpus fails this file instead of skipping it.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog.js';
import type { AgentDefinition } from './definition.js';
import { loadAgentFile } from './load-file.js';
import { TOOL_NAME_PATTERN } from './tool-name.js';
import { validateExitCode } from '../cli/validate-report.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS_DIR = path.resolve(REPO_ROOT, 'test/fixtures/corpus');
const CORPUS_FILE_COUNT = 332;

/** Files a human would not call a valid agent, with why. None so far: every corpus file is one. */
const EXPECTED_SKIPS: Readonly<Record<string, RegExp>> = {};

/** Files whose front matter is not valid YAML (an unquoted description containing ": "). */
const EXPECTED_LENIENT = [
  'VoltAgent__awesome-claude-code-subagents/categories/04-quality-security/gdpr-ccpa-compliance.md',
  'VoltAgent__awesome-claude-code-subagents/categories/07-specialized-domains/hipaa-compliance.md',
  'VoltAgent__awesome-claude-code-subagents/categories/08-business-product/assumption-mapping.md',
  'VoltAgent__awesome-claude-code-subagents/categories/08-business-product/backlog-grooming.md',
  'VoltAgent__awesome-claude-code-subagents/categories/08-business-product/growth-loops.md',
  'VoltAgent__awesome-claude-code-subagents/categories/10-research-analysis/ab-test-analysis.md',
  'VoltAgent__awesome-claude-code-subagents/categories/10-research-analysis/cohort-analysis.md',
  'VoltAgent__awesome-claude-code-subagents/categories/10-research-analysis/first-principles-thinking.md',
];

/** Files whose front matter is laid out oddly (a blank first line, indented by four spaces). */
const EXPECTED_LAYOUT = ['0xfurai__claude-code-subagents/agents/sqs-expert.md'];

/** Tool names that are neither built-ins nor mcp__ names: kept, with a warning each. */
const EXPECTED_UNKNOWN_TOOLS: Readonly<Record<string, string[]>> = {
  'VoltAgent__awesome-claude-code-subagents/categories/04-quality-security/ui-ux-tester.md': ['chrome-mcp', 'computer-use'],
  'VoltAgent__awesome-claude-code-subagents/categories/09-meta-orchestration/codebase-orchestrator.md': [
    'airis-mcp-gateway',
    'context-manager',
    'error-coordinator',
    'pied-piper',
    'subagent-catalog:search',
    'subagent-catalog:fetch',
  ],
};

/** Agent names that two collections both define: served once from the whole corpus. */
const DUPLICATE_NAME_COUNT = 35;

function listCorpus(): string[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.md'))
    .sort();
}

const files = listCorpus();
const served = new Map<string, AgentDefinition>();
const skipped = new Map<string, string>();

/** Every test starts here, so a missing corpus fails each one by name rather than skipping it. */
function requireCorpus(): void {
  if (!existsSync(CORPUS_DIR)) throw new Error(`corpus folder missing: ${CORPUS_DIR} (the fixtures are part of the repository: restore test/fixtures/corpus)`);
}

beforeAll(async () => {
  for (const rel of files) {
    const result = await loadAgentFile(path.join(CORPUS_DIR, rel));
    if (result.kind === 'agent') served.set(rel, result.agent);
    else skipped.set(rel, result.reason);
  }
});

const relPathsWith = (code: string): string[] =>
  [...served].filter(([, agent]) => agent.warnings.some((w) => w.code === code)).map(([rel]) => rel);

describe('corpus', () => {
  it(`holds ${CORPUS_FILE_COUNT} agent files`, () => {
    requireCorpus();
    expect(files).toHaveLength(CORPUS_FILE_COUNT);
  });

  it('serves every file except the expected skips, each for its stated reason', () => {
    requireCorpus();
    const outcome = Object.fromEntries(files.map((rel) => [rel, served.has(rel) ? 'served' : `skipped: ${skipped.get(rel)}`]));
    const expected = Object.fromEntries(
      files.map((rel) => {
        const reason = EXPECTED_SKIPS[rel];
        return [rel, reason ? expect.stringMatching(reason) : 'served'];
      }),
    );
    expect(outcome).toEqual(expected);
    expect(served.size).toBe(CORPUS_FILE_COUNT - Object.keys(EXPECTED_SKIPS).length);
  });

  it('gives every served agent a valid tool name, a description and a prompt', () => {
    requireCorpus();
    for (const [rel, agent] of served) {
      expect(agent.toolName, rel).toMatch(TOOL_NAME_PATTERN);
      expect(agent.description.length, rel).toBeGreaterThan(20);
      expect(agent.prompt.length, rel).toBeGreaterThan(100);
      expect(agent.description, rel).not.toContain('\\n');
    }
  });

  it(`needed the lenient fallback for exactly ${EXPECTED_LENIENT.length} files, recovering their descriptions whole`, () => {
    requireCorpus();
    expect(relPathsWith('lenient-front-matter')).toEqual(EXPECTED_LENIENT);
    for (const rel of EXPECTED_LENIENT) {
      const agent = served.get(rel);
      expect(agent?.description, rel).toMatch(/Triggers on: '.*'\.$/);
      expect(agent?.warnings.find((w) => w.code === 'lenient-front-matter')?.line, rel).toBe(3);
      expect(agent?.tools?.slice(0, 1), rel).toEqual(['Read']);
    }
  });

  it('reads the indented front matter and says so', () => {
    requireCorpus();
    expect(relPathsWith('front-matter-layout')).toEqual(EXPECTED_LAYOUT);
    const agent = served.get(EXPECTED_LAYOUT[0] ?? '');
    expect(agent).toMatchObject({ name: 'sqs-expert', model: 'claude-sonnet-4-20250514' });
    expect(agent?.prompt).toMatch(/^## Focus Areas/);
  });

  it('keeps unknown tool names and warns about each', () => {
    requireCorpus();
    const unknown = Object.fromEntries(
      relPathsWith('unknown-tool').map((rel) => [
        rel,
        (served.get(rel)?.warnings ?? []).filter((w) => w.code === 'unknown-tool').map((w) => /'([^']+)'/.exec(w.reason)?.[1]),
      ]),
    );
    expect(unknown).toEqual(EXPECTED_UNKNOWN_TOOLS);
  });

  it('maps legacy tool names everywhere', () => {
    requireCorpus();
    for (const [rel, agent] of served) {
      expect(agent.tools ?? [], rel).not.toContain('Task');
      expect(agent.model, rel).toMatch(/^(inherit|sonnet|haiku|opus|claude-[a-z0-9-]+)$/);
    }
  });

  it('as one folder, serves each name once and exits 0', async () => {
    requireCorpus();
    const catalog = await loadCatalog([CORPUS_DIR]);
    expect(catalog.agents).toHaveLength(CORPUS_FILE_COUNT - DUPLICATE_NAME_COUNT);
    expect(catalog.skipped).toHaveLength(DUPLICATE_NAME_COUNT);
    for (const skip of catalog.skipped) expect(skip).toMatchObject({ broken: false, reason: expect.stringMatching(/is already served from/) });
    expect(validateExitCode(catalog)).toBe(0);
  });
});
