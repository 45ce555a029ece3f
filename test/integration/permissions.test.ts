/**
 * The permission matrix: every server mode × every tool class (read, edit, Bash) × a client that
 * approves, one that declines and one that cannot be asked, through our real MCP server and the
 * real SDK client (in-process, InMemoryTransport), the real tools on a temporary workspace, and the
 * fake Messages API driving an agent with `tools: Read, Grep, Glob, Edit, Bash`.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallToolResult, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic, type ScriptedRequest } from '../fake-anthropic/server.js';
import { reply, text, toolUse, type Step } from '../fake-anthropic/steps.js';
import { startInProcessServer, type InProcessServer, type TestClientOptions } from '../helpers/in-process-permission-server.js';
import type { ServerPermissionMode } from '../../src/tools/permissions/permission-mode.js';

const API_KEY = 'k-permissions-0123456789';
const AGENT = `---
name: toolbox-agent
description: Reads, edits and runs commands.
tools: Read, Grep, Glob, Edit, Bash
---
You work on the code.
`;

let fake: FakeAnthropic;
let tmp: string;
let agentsDir: string;
let ws: string;
let server: InProcessServer | undefined;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'permissions-')));
  agentsDir = path.join(tmp, 'agents');
  await mkdir(agentsDir);
  await writeFile(path.join(agentsDir, 'toolbox-agent.md'), AGENT);
  await writeFile(
    path.join(agentsDir, 'planner.md'),
    AGENT.replace('name: toolbox-agent', 'name: planner').replace('tools: Read', 'permissionMode: plan\ntools: Read'),
  );
  await writeFile(
    path.join(agentsDir, 'reckless.md'),
    AGENT.replace('name: toolbox-agent', 'name: reckless').replace('tools: Read', 'permissionMode: bypassPermissions\ntools: Read'),
  );
});
afterAll(async () => {
  await fake.close();
  await rm(tmp, { recursive: true, force: true });
});

let caseCount = 0;
beforeEach(async () => {
  ws = path.join(tmp, `ws-${++caseCount}`);
  await mkdir(path.join(ws, 'sub'), { recursive: true });
  await writeFile(path.join(ws, 'notes.txt'), 'alpha\nbeta\n');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const approve = (): ElicitResult => ({ action: 'accept', content: { decision: 'approve' } });
const decline = (): ElicitResult => ({ action: 'decline' });
const CLIENTS: Record<'accepts' | 'declines' | 'cannot ask', TestClientOptions> = {
  accepts: { elicit: approve },
  declines: { elicit: decline },
  'cannot ask': {},
};
type ClientKind = keyof typeof CLIENTS;
type ToolClass = 'read' | 'edit' | 'bash';

interface ToolResultBlock {
  type: string;
  is_error?: boolean;
  content?: unknown;
}
/** The tool_result blocks of the newest user message the model was sent. */
function lastToolResults(request: ScriptedRequest): ToolResultBlock[] {
  const last = request.body.messages.at(-1) as { content: ToolResultBlock[] };
  return last.content.filter((b) => b.type === 'tool_result');
}

/** The model's side of one case: use the tool, then report what the tool said. */
function scriptFor(cls: ToolClass, seen: ToolResultBlock[]): Step[] {
  const notes = path.join(ws, 'notes.txt');
  const finish: Step = (request) => {
    seen.push(...lastToolResults(request));
    return reply([text('done')]);
  };
  switch (cls) {
    case 'read':
      return [reply([toolUse('Read', { file_path: notes })]), finish];
    case 'edit':
      return [reply([toolUse('Read', { file_path: notes })]), reply([toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: 'ALPHA' })]), finish];
    case 'bash':
      return [reply([toolUse('Bash', { command: 'touch bash.txt' })]), finish];
  }
}

/** What should happen, by the rules in docs/permissions.md. */
function expectedOutcome(mode: ServerPermissionMode, client: ClientKind, cls: ToolClass): { allowed: boolean; asked: number; message?: RegExp } {
  if (cls === 'read') return { allowed: true, asked: 0 };
  // plan offers the edit tools to no one, and a call to one says why: plan mode, and how to lift it.
  if (mode === 'plan') return { allowed: false, asked: 0, message: /refused: the server runs in plan mode \(--permission-mode plan.*--permission-mode default or acceptEdits/ };
  if (mode === 'bypassPermissions') return { allowed: true, asked: 0 };
  if (mode === 'acceptEdits' && cls === 'edit') return { allowed: true, asked: 0 };
  if (client === 'accepts') return { allowed: true, asked: 1 };
  if (client === 'declines') return { allowed: false, asked: 1, message: /refused: the user did not approve this \(declined by the user\)/ };
  return {
    allowed: false,
    asked: 0,
    message:
      cls === 'edit'
        ? new RegExp(`Edit needs approval to edit ${path.join(ws, 'notes.txt')}: the server runs in ${mode} mode and this client cannot ask the user \\(it offers no MCP elicitation\\); restart agents-mcp with --permission-mode acceptEdits`)
        : new RegExp(`Bash needs approval: it is not pre-approved by --allow-bash: the server has no --allow-bash patterns; the server runs in ${mode} mode and this client cannot ask the user \\(it offers no MCP elicitation\\); allow it with --allow-bash 'touch bash\\.txt'`),
  };
}

async function didHappen(cls: ToolClass): Promise<boolean> {
  if (cls === 'read') return true;
  if (cls === 'edit') return (await readFile(path.join(ws, 'notes.txt'), 'utf8')).startsWith('ALPHA');
  return stat(path.join(ws, 'bash.txt')).then(
    () => true,
    () => false,
  );
}

const MODES: ServerPermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];
const MATRIX = MODES.flatMap((mode) =>
  (Object.keys(CLIENTS) as ClientKind[]).flatMap((client) => (['read', 'edit', 'bash'] as ToolClass[]).map((cls) => [mode, client, cls] as const)),
);

describe('permission matrix', () => {
  it.each(MATRIX)('%s mode, client that %s, %s', async (mode, client, cls) => {
    server = await startInProcessServer({ agentsDir, workspaces: [ws], fakeUrl: fake.url, apiKey: API_KEY, permissionMode: mode, client: CLIENTS[client] });
    const seen: ToolResultBlock[] = [];
    fake.script(...scriptFor(cls, seen));
    const result = (await server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    fake.assertComplete();

    const want = expectedOutcome(mode, client, cls);
    const last = seen.at(-1)!;
    expect(last.is_error === true, JSON.stringify(last)).toBe(!want.allowed);
    if (want.message) expect(JSON.stringify(last.content)).toMatch(want.message);
    expect(await didHappen(cls)).toBe(want.allowed);
    expect(server.elicitations).toHaveLength(want.asked);
    if (want.asked > 0) {
      const message = server.elicitations[0]!.message;
      expect(message).toContain(cls === 'edit' ? path.join(ws, 'notes.txt') : 'touch bash.txt');
      expect(message).toContain(`runs in ${mode} mode`);
      // An edit question shows the change as a unified diff, not the resulting file.
      if (cls === 'edit') expect(message).toContain('@@ -1,2 +1,2 @@\n-alpha\n+ALPHA\n beta');
    }
    // plan offers read-only tools only.
    const offered = (fake.requests.at(-1)?.body?.tools as Array<{ name: string }>).map((t) => t.name);
    expect(offered).toEqual(mode === 'plan' ? ['Read', 'Glob', 'Grep'] : ['Read', 'Glob', 'Grep', 'Edit', 'Bash']);
  });
});

describe('beyond the matrix', () => {
  it('--allow-bash lets a pre-approved command run with a client that cannot ask', async () => {
    server = await startInProcessServer({ agentsDir, workspaces: [ws], fakeUrl: fake.url, apiKey: API_KEY, permissionMode: 'default', allowBash: ['touch'] });
    const seen: ToolResultBlock[] = [];
    fake.script(...scriptFor('bash', seen));
    await server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } });
    expect(seen.at(-1)?.is_error).toBeUndefined();
    expect(await didHappen('bash')).toBe(true);
  });

  it.each([
    ['dismisses the question', (): ElicitResult => ({ action: 'cancel' }), 'the user dismissed the question'],
    ['fails to ask', (): ElicitResult => {
      throw new Error('no UI here');
    }, 'the client could not ask'],
  ])('a client that %s gets a refusal that says so', async (_label, elicit, reason) => {
    server = await startInProcessServer({ agentsDir, workspaces: [ws], fakeUrl: fake.url, apiKey: API_KEY, permissionMode: 'acceptEdits', client: { elicit } });
    const seen: ToolResultBlock[] = [];
    fake.script(...scriptFor('bash', seen));
    await server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } });
    expect(seen.at(-1)?.is_error).toBe(true);
    expect(JSON.stringify(seen.at(-1)?.content)).toContain(`Bash refused: the user did not approve this (${reason}`);
    expect(await didHappen('bash')).toBe(false);
  });

  it('"approve for the rest of the run" is asked once and covers the later edits', async () => {
    server = await startInProcessServer({
      agentsDir,
      workspaces: [ws],
      fakeUrl: fake.url,
      apiKey: API_KEY,
      permissionMode: 'default',
      client: { elicit: () => ({ action: 'accept', content: { decision: 'approve_for_run' } }) },
    });
    const notes = path.join(ws, 'notes.txt');
    fake.script(
      reply([toolUse('Read', { file_path: notes })]),
      reply([toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: 'ALPHA' })]),
      reply([toolUse('Edit', { file_path: notes, old_string: 'beta', new_string: 'BETA' })]),
      reply([text('done')]),
    );
    await server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } });
    expect(await readFile(notes, 'utf8')).toBe('ALPHA\nBETA\n');
    expect(server.elicitations).toHaveLength(1);
    fake.assertComplete();
  });

  it("an agent's permissionMode tightens the server's mode, and may not loosen it", async () => {
    server = await startInProcessServer({ agentsDir, workspaces: [ws], fakeUrl: fake.url, apiKey: API_KEY, permissionMode: 'bypassPermissions' });
    fake.script(reply([text('planned')]));
    await server.client.callTool({ name: 'planner', arguments: { prompt: 'go' } });
    expect((fake.requests.at(-1)?.body?.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(['Read', 'Glob', 'Grep']);
    await server.close();

    server = await startInProcessServer({ agentsDir, workspaces: [ws], fakeUrl: fake.url, apiKey: API_KEY, permissionMode: 'default' });
    const seen: ToolResultBlock[] = [];
    fake.script(...scriptFor('bash', seen).map((s, i) => (i === 0 ? reply([toolUse('Bash', { command: 'touch bash.txt' })]) : s)));
    const result = (await server.client.callTool({ name: 'reckless', arguments: { prompt: 'go' } })) as CallToolResult;
    expect((result.structuredContent as { warnings: string[] }).warnings).toContain(
      "permissionMode bypassPermissions would loosen the server's default mode, which an agent may not do; running in default mode.",
    );
    expect(JSON.stringify(seen.at(-1)?.content)).toContain('Bash needs approval');
    expect(await didHappen('bash')).toBe(false);
  });

  it("confines the run to the client's roots inside the workspace", async () => {
    server = await startInProcessServer({
      agentsDir,
      workspaces: [ws],
      fakeUrl: fake.url,
      apiKey: API_KEY,
      permissionMode: 'bypassPermissions',
      client: { roots: [pathToFileURL(path.join(ws, 'sub')).href] },
    });
    const seen: ToolResultBlock[] = [];
    fake.script(reply([toolUse('Read', { file_path: path.join(ws, 'notes.txt') })]), (request) => {
      seen.push(...lastToolResults(request));
      expect(JSON.stringify(request.body.system)).toContain(`Working directory: ${path.join(ws, 'sub')}`);
      return reply([text('done')]);
    });
    await server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } });
    expect(seen.at(-1)?.is_error).toBe(true);
    expect(JSON.stringify(seen.at(-1)?.content)).toContain('outside the workspace');
    fake.assertComplete();
  });

  it('refuses a run when no client root lies inside the workspaces', async () => {
    server = await startInProcessServer({
      agentsDir,
      workspaces: [path.join(ws, 'sub')],
      fakeUrl: fake.url,
      apiKey: API_KEY,
      permissionMode: 'default',
      client: { roots: [pathToFileURL(agentsDir).href] },
    });
    const result = (await server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("None of the client's roots");
  });

  it('does not hang when the caller cancels while a question is pending', async () => {
    const controller = new AbortController();
    let withdrawn: () => void = () => undefined;
    const questionWithdrawn = new Promise<void>((resolve) => {
      withdrawn = resolve;
    });
    server = await startInProcessServer({
      agentsDir,
      workspaces: [ws],
      fakeUrl: fake.url,
      apiKey: API_KEY,
      permissionMode: 'default',
      client: {
        // The SDK ignores notifications/cancelled for request id 0 (a falsy-id check), so let the
        // roots request take id 0 and the question id 1.
        roots: [pathToFileURL(ws).href],
        // A user who never answers; the caller gives up and cancels the call instead.
        elicit: (_request, { signal }) => {
          controller.abort();
          return new Promise<ElicitResult>((resolve) => {
            signal.addEventListener('abort', () => {
              withdrawn();
              resolve({ action: 'cancel' });
            });
          });
        },
      },
    });
    const notes = path.join(ws, 'notes.txt');
    fake.script(reply([toolUse('Read', { file_path: notes })]), reply([toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: 'ALPHA' })]));
    const call = server.client.callTool({ name: 'toolbox-agent', arguments: { prompt: 'go' } }, undefined, { signal: controller.signal });
    await expect(call).rejects.toThrow(/abort/i);
    // The server withdraws its question (notifications/cancelled) instead of waiting for an answer.
    await questionWithdrawn;
    expect(await readFile(notes, 'utf8')).toBe('alpha\nbeta\n');
    fake.assertComplete();
  });
});
