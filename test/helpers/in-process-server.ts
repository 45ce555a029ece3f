/**
 * The real MCP server wiring (runner, run store, tasks, progress) in this process, connected
 * to the real SDK client over the SDK's in-memory transport; the model is the fake Messages API.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { AgentDefinition } from '../../src/agents/definition.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Runner } from '../../src/run/runner.js';
import { createAgentTasks } from '../../src/server/agent-tasks.js';
import { buildListings } from '../../src/server/listings.js';
import { createMcpServer } from '../../src/server/publish.js';
import { createCallAgent, createRunnerFromConfig } from '../../src/runtime.js';
import { testConfig } from './test-config.js';

export interface InProcessServer {
  client: Client;
  runner: Runner;
  close(): Promise<void>;
}

/** Serve `agents` with the given config overrides; `fakeUrl` is the fake Messages API. */
export async function startInProcessServer(options: {
  fakeUrl: string;
  agents: AgentDefinition[];
  config?: Partial<Config>;
}): Promise<InProcessServer> {
  const config: Config = testConfig({
    agentDirs: ['/unused'],
    workspaces: [process.cwd()],
    defaultModel: 'claude-sonnet-5-5',
    modelAliases: {},
    maxTurns: 10,
    maxOutputTokens: 1000,
    mcpServers: {},
    maxDepth: 3,
    logLevel: 'silent',
    anthropic: { apiKey: 'test-key-in-process', baseURL: options.fakeUrl },
    watch: false,
    ...options.config,
  });
  const logger = createLogger({ level: 'silent' });
  const runner = createRunnerFromConfig(config, logger);
  const tasks = createAgentTasks({ pollIntervalMs: 50 });
  const catalog = {
    agents: options.agents,
    byToolName: new Map(options.agents.map((a) => [a.toolName, a])),
    skipped: [],
    warningCount: 0,
  };
  const listings = buildListings(catalog, { toolDescriptions: 'compact' });
  const server = createMcpServer({
    name: 'agents-mcp-test',
    version: '0.0.0',
    listings: () => listings,
    callAgent: createCallAgent(runner, config),
    runs: runner,
    tasks,
    ...(config.progressIntervalMs ? { progressIntervalMs: config.progressIntervalMs } : {}),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'agents-mcp-tests', version: '0.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    runner,
    async close() {
      await client.close();
      await server.close();
      tasks.close();
    },
  };
}
