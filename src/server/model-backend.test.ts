/**
 * The per-call backend choice and the sampling backend in process: our MCP server and the
 * real SDK Client over InMemoryTransport, the client's model a scripted sampling handler,
 * the Anthropic API the fake Messages API.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpError, type CallToolResult, type ClientCapabilities, type ToolResultContent } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { installScriptedSampling, samplingReply, samplingText, samplingToolUse, type ScriptedSampling } from '../../test/helpers/scripted-sampling.js';
import { loadCatalog } from '../agents/catalog.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import type { Config } from '../config.js';
import { createLogger } from '../log.js';
import { buildListings } from './listings.js';
import { createMcpServer } from './publish.js';
import { createCallAgent, createRunnerFromConfig } from '../runtime.js';
import { testConfig } from '../../test/helpers/test-config.js';

const READER = '---\nname: reader\ndescription: Reads files.\nmodel: haiku\ntools: Read\n---\nYou are the reader agent.\n';
// A 1×1 PNG, so Read returns image content.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const KEY = 'k-test-model-backend';

let agentsDir: string;
let workspace: string;
let fake: FakeAnthropic;

beforeAll(async () => {
  agentsDir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-backend-agents-'));
  await writeFile(path.join(agentsDir, 'reader.md'), READER);
  workspace = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-backend-ws-')));
  await writeFile(path.join(workspace, 'dot.png'), Buffer.from(PNG_BASE64, 'base64'));
  fake = await startFakeAnthropic({ apiKey: KEY });
});

afterAll(async () => {
  await fake?.close();
  await rm(agentsDir, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
});

interface Session {
  client: Client;
  sampling: ScriptedSampling | undefined;
  logs: string[];
  close(): Promise<void>;
}

let open: Session | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function connect(options: {
  capabilities: ClientCapabilities;
  modelBackend?: Config['modelBackend'];
  credentials?: boolean;
  maxTurns?: number;
}): Promise<Session> {
  const config: Config = testConfig({
    agentDirs: [agentsDir],
    workspaces: [workspace],
    defaultModel: DEFAULT_MODEL,
    modelAliases: { ...DEFAULT_MODEL_ALIASES },
    maxTurns: options.maxTurns ?? 10,
    maxOutputTokens: 2000,
    mcpServers: {},
    maxDepth: 3,
    logLevel: 'info',
    anthropic: options.credentials ? { apiKey: KEY, baseURL: fake.url } : {},
    watch: false,
    ...(options.modelBackend ? { modelBackend: options.modelBackend } : {}),
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const listings = buildListings(await loadCatalog([agentsDir]), { toolDescriptions: 'compact' });
  const server = createMcpServer({ name: 'agents-mcp', version: '0.0.0', listings: () => listings, callAgent: createCallAgent(createRunnerFromConfig(config, logger), config) });
  const client = new Client({ name: 'backend-tests', version: '1.2.3' }, { capabilities: options.capabilities });
  const sampling = options.capabilities.sampling ? installScriptedSampling(client) : undefined;
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  open = { client, sampling, logs, close: async () => void (await client.close()) };
  return open;
}

async function callReader(session: Session, prompt: string): Promise<CallToolResult> {
  return (await session.client.callTool({ name: 'reader', arguments: { prompt } })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

describe('--model-backend', () => {
  it('sampling: runs on the client even when credentials are set', async () => {
    const before = fake.requests.length;
    const session = await connect({ capabilities: { sampling: { tools: {} } }, modelBackend: 'sampling', credentials: true });
    session.sampling!.script(() => samplingReply([samplingText('from the client')]));
    const result = await callReader(session, 'hi');
    expect(textOf(result)).toBe('from the client');
    expect(result.structuredContent).toMatchObject({ backend: 'sampling' });
    expect(fake.requests.length).toBe(before);
    session.sampling!.assertComplete();
    expect(session.logs.join('')).toMatch(/"backend":"sampling".*run started/);
  });

  it('anthropic: refuses without credentials rather than fall back to sampling', async () => {
    const session = await connect({ capabilities: { sampling: { tools: {} } }, modelBackend: 'anthropic' });
    const result = await callReader(session, 'hi');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('ANTHROPIC_API_KEY');
    expect(session.sampling!.requests).toHaveLength(0);
    session.sampling!.assertComplete();
  });

  it('sampling: says the client declared no sampling capability', async () => {
    const session = await connect({ capabilities: {}, modelBackend: 'sampling', credentials: true });
    const result = await callReader(session, 'hi');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('did not declare the sampling capability');
    expect(result.structuredContent).toMatchObject({ backend: 'none' });
  });
});

describe('the sampling backend', () => {
  it('passes an image a tool returned back to the client as MCP image content', async () => {
    const session = await connect({ capabilities: { sampling: { tools: {} } } });
    session.sampling!.script(
      () => samplingReply([samplingToolUse('Read', { file_path: path.join(workspace, 'dot.png') }, 'img_1')]),
      () => samplingReply([samplingText('A single dot.')]),
    );
    const result = await callReader(session, 'Describe dot.png');
    expect(textOf(result)).toBe('A single dot.');
    const toolTurn = session.sampling!.requests[1]?.messages.at(-1)?.content as ToolResultContent[];
    expect(toolTurn[0]?.content).toEqual([{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }]);
    // `model: haiku` reaches the client as a hint, not as an id.
    expect(session.sampling!.requests[0]?.modelPreferences).toEqual({ hints: [{ name: 'haiku' }] });
    session.sampling!.assertComplete();
  });

  it('stops at the turn limit like the Anthropic backend', async () => {
    const session = await connect({ capabilities: { sampling: { tools: {} } }, maxTurns: 1 });
    session.sampling!.script(() => samplingReply([samplingText('Reading first.'), samplingToolUse('Read', { file_path: path.join(workspace, 'dot.png') }, 'r1')]));
    const result = await callReader(session, 'go');
    expect(result.structuredContent).toMatchObject({ stop_reason: 'max_turns', turns: 1, backend: 'sampling' });
    expect(textOf(result)).toContain('turn limit');
    expect(session.sampling!.requests).toHaveLength(1);
    session.sampling!.assertComplete();
  });

  it('reports zero usage and cost when the client reports none', async () => {
    const session = await connect({ capabilities: { sampling: { tools: {} } } });
    session.sampling!.script(() => samplingReply([samplingText('ok')], { model: 'claude-sonnet-5-5' }));
    const result = await callReader(session, 'hi');
    expect(result.structuredContent).toMatchObject({
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      cost_usd: 0,
    });
  });

  it('turns a refused sampling request into an isError result that says what to do', async () => {
    const session = await connect({ capabilities: { sampling: { tools: {} } } });
    session.sampling!.script(() => {
      throw new McpError(-1, 'User rejected sampling request');
    });
    const result = await callReader(session, 'hi');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('User rejected sampling request');
    expect(textOf(result)).toContain('approve sampling');
    expect(textOf(result)).toContain('backend-tests 1.2.3');
    session.sampling!.assertComplete();
  });
});
