/**
 * Our MCP server and the real SDK client over the SDK's InMemoryTransport, in-process: the real
 * agent caller, tools and Anthropic client (pointed at the fake Messages API), with the client's
 * capabilities (elicitation, roots) chosen per test.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, ListRootsRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { loadCatalog } from '../../src/agents/catalog.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { buildListings } from '../../src/server/listings.js';
import { createMcpServer } from '../../src/server/publish.js';
import { createCallAgent, createRunnerFromConfig } from '../../src/runtime.js';
import type { ServerPermissionMode } from '../../src/tools/permissions/permission-mode.js';
import { testConfig } from './test-config.js';

/** How the test client behaves. */
export interface TestClientOptions {
  /** Answers elicitation requests; absent = the client declares no elicitation capability. */
  elicit?: (request: ElicitRequest, extra: { signal: AbortSignal }) => ElicitResult | Promise<ElicitResult>;
  /** `file://` roots the client offers; absent = no roots capability. */
  roots?: string[];
}

/** What {@link startInProcessServer} needs. */
export interface InProcessServerOptions {
  agentsDir: string;
  workspaces: string[];
  fakeUrl: string;
  apiKey: string;
  permissionMode: ServerPermissionMode;
  allowBash?: string[];
  client?: TestClientOptions;
}

/** A connected client and the way to close both ends. */
export interface InProcessServer {
  client: Client;
  /** Every elicitation request the server sent, in order. */
  elicitations: ElicitRequest['params'][];
  close(): Promise<void>;
}

/** Start the server and connect a client to it. */
export async function startInProcessServer(options: InProcessServerOptions): Promise<InProcessServer> {
  const config: Config = testConfig({
    agentDirs: [options.agentsDir],
    workspaces: options.workspaces,
    defaultModel: 'claude-sonnet-5-5',
    modelAliases: {},
    maxTurns: 10,
    maxOutputTokens: 1000,
    mcpServers: {},
    maxDepth: 3,
    logLevel: 'silent',
    anthropic: { apiKey: options.apiKey, baseURL: options.fakeUrl },
    watch: false,
    permissionMode: options.permissionMode,
    allowBash: options.allowBash ?? [],
    bashSandbox: 'off',
  });
  const listings = buildListings(await loadCatalog(config.agentDirs), { toolDescriptions: 'compact' });
  const server = createMcpServer({
    name: 'agents-mcp',
    version: '0.0.0-test',
    listings: () => listings,
    callAgent: createCallAgent(createRunnerFromConfig(config, createLogger({ level: 'silent' })), config),
  });
  const capabilities = {
    ...(options.client?.elicit ? { elicitation: { form: {} } } : {}),
    ...(options.client?.roots ? { roots: { listChanged: false } } : {}),
  };
  const client = new Client({ name: 'permission-tests', version: '0.0.0' }, { capabilities });
  const elicitations: ElicitRequest['params'][] = [];
  const elicit = options.client?.elicit;
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
      elicitations.push(request.params);
      return elicit(request, { signal: extra.signal });
    });
  }
  const roots = options.client?.roots;
  if (roots) client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((uri) => ({ uri })) }));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    client,
    elicitations,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
