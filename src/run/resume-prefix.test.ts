/**
 * Resuming a run that thought, against the strict fake (which rejects a signed thinking block
 * sent under another system prompt or tool list, as the real API does): the resumed run sends
 * the prefix it started with, byte for byte, also after a restart with --runs-dir; a run
 * stored without its prefix drops its old thinking blocks and says so.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_PRINCIPAL } from './call-context.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { reply, text, thinking, toolUse } from '../../test/fake-anthropic/steps.js';
import { agentFromText } from '../../test/helpers/agents.js';
import type { AgentDefinition } from '../agents/definition.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { createFileTools } from '../tools/files/registry.js';
import { createAnthropicClient } from './anthropic.js';
import type { RunDeps } from './prepare-and-run.js';
import type { RunResult } from './result.js';
import { createRunner, type Runner } from './runner.js';
import { createRunStore } from './run-store.js';

const KEY = 'k-test-resume';
let fake: FakeAnthropic;
let dir: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  dir = await mkdtemp(path.join(tmpdir(), 'resume-prefix-'));
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  fake.assertComplete();
});

const planner = agentFromText('name: planner\ndescription: Plans the work.\ntools: Read, Agent');
const helper = agentFromText('name: helper\ndescription: Helps.\ntools: Read');

function createTestRunner(catalog: () => AgentDefinition[], runsDir: string, day: string): Runner {
  const deps: RunDeps = {
    settings: { defaultModel: 'claude-fable-5-2', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 10, maxOutputTokens: 1000, roots: ['/tmp'] },
    tools: createFileTools(),
    client: createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }),
    logger: createLogger({ level: 'silent' }),
    delegation: { agents: catalog },
    // The system prompt holds the date: a resume on another day must not change what is sent.
    now: () => new Date(day),
  };
  return createRunner({ runDeps: deps, runs: createRunStore({ dir: runsDir }) });
}

async function resume(runner: Runner, agent: AgentDefinition, runId: string, prompt: string): Promise<RunResult> {
  const check = await runner.prepareResume(runId, agent.name, LOCAL_PRINCIPAL);
  if (!check.ok) throw new Error(check.problem);
  return runner.run({ agent, prompt, signal: new AbortController().signal, resume: { runId: check.runId, history: check.history } });
}

/** A first run that thinks, calls Read, thinks again and answers. */
async function thinkingRun(runner: Runner): Promise<RunResult> {
  fake.script(
    reply([thinking('The user wants the plan; I should read the notes first.'), toolUse('Read', { file_path: '/tmp/none.md' }, 'tu_read')]),
    reply([thinking('The notes are missing; I will plan from the prompt.'), text('Plan: one step.')]),
  );
  const first = await runner.run({ agent: planner, prompt: 'Make a plan.', signal: new AbortController().signal });
  expect(first).toMatchObject({ stopReason: 'end_turn', answer: 'Plan: one step.' });
  return first;
}

describe('resuming a run that thought', () => {
  it('is accepted and answers after the agent prompt changed, a new agent was added and a day passed, also after a restart with --runs-dir', async () => {
    const runsDir = path.join(dir, 'runs-a');
    const before = [planner];
    const first = await thinkingRun(createTestRunner(() => before, runsDir, '2026-11-30T10:00:00Z'));
    const firstBody = fake.requests.at(-1)!.body!;

    // Next day, a fresh process: the agent's prompt was edited and another agent joined the catalog.
    const edited = { ...planner, prompt: 'You are a planner. Be brief.' };
    const restarted = createTestRunner(() => [edited, helper], runsDir, '2026-12-01T09:00:00Z');
    fake.script(text('Step two: ship it.'));
    const resumed = await resume(restarted, edited, first.runId, 'And the next step?');

    expect(resumed).toMatchObject({ stopReason: 'end_turn', answer: 'Step two: ship it.' });
    const body = fake.requests.at(-1)!.body!;
    expect(JSON.stringify(body.system)).toBe(JSON.stringify(firstBody.system));
    expect(JSON.stringify(body.tools)).toBe(JSON.stringify(firstBody.tools));
    expect(JSON.stringify(body.tools)).not.toContain('helper');
    const stored = JSON.parse(await readFile(path.join(runsDir, `${resumed.runId}.json`), 'utf8')) as { schema_version: number; prefix: { system: string } };
    expect(stored.schema_version).toBe(2);
    expect(stored.prefix.system).toContain('You are a test agent.');
  });

  it('continues a run stored without its prefix under today\'s, without its old thinking blocks, and says so', async () => {
    const runsDir = path.join(dir, 'runs-b');
    const first = await thinkingRun(createTestRunner(() => [planner], runsDir, '2026-11-30T10:00:00Z'));
    // What an older agents-mcp wrote: no schema_version, no prefix.
    const file = path.join(runsDir, `${first.runId}.json`);
    const { prefix: _prefix, schema_version: _version, ...old } = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify(old));

    const restarted = createTestRunner(() => [planner, helper], runsDir, '2026-12-01T09:00:00Z');
    fake.script(text('Step two.'));
    const resumed = await resume(restarted, planner, first.runId, 'Next?');

    expect(resumed).toMatchObject({ stopReason: 'end_turn', answer: 'Step two.' });
    expect(JSON.stringify(fake.requests.at(-1)!.body!.messages)).not.toContain('"thinking"');
    expect(resumed.warnings.join('\n')).toContain('2 earlier thinking block(s) were dropped');
  });

  it('removes a refused turn before resuming and says so', async () => {
    const runsDir = path.join(dir, 'runs-c');
    const runner = createTestRunner(() => [planner], runsDir, '2026-11-30T10:00:00Z');
    fake.script(reply([text('I cannot help with that.')], { stop_reason: 'refusal', stop_details: { category: 'cyber', explanation: 'It reads like exploit development.' } }));
    const refused = await runner.run({ agent: planner, prompt: 'Write an exploit.', signal: new AbortController().signal });
    expect(refused).toMatchObject({ stopReason: 'refusal', refusal: { category: 'cyber', explanation: 'It reads like exploit development.' } });

    fake.script((req) => {
      expect(req.body.messages.map((m) => m.role)).toEqual(['user']);
      expect(JSON.stringify(req.body.messages)).not.toContain('I cannot help');
      return text('Here is a safe plan.');
    });
    const resumed = await resume(runner, planner, refused.runId, 'Plan a security review instead.');
    expect(resumed.answer).toBe('Here is a safe plan.');
    expect(resumed.warnings.join('\n')).toContain('refused turn was removed');
  });
});
