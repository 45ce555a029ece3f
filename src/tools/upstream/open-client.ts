/**
 * Open an SDK v2 client on one upstream server and settle the protocol era: a 2026-07-28 server
 * is found with `server/discover` and used statelessly; a 2025 server (2024-10-07 … 2025-11-25)
 * gets the `initialize` handshake. Stdio servers are spawned, HTTP/SSE servers dialled.
 */
import { Client, SdkError, SdkErrorCode, SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/client/stdio';
import type { UpstreamServerConfig } from './server-config.js';
import type { StderrTail } from './stderr-tail.js';

/** Most pages of tools/list or resources/list read from one server (a bound on a misbehaving server). */
const MAX_LIST_PAGES = 50;

/**
 * The SDK's stdio transport, probing in place. The SDK runs the `server/discover` probe of its own
 * (exact) StdioClientTransport on a throwaway sibling process, which costs a second start of the
 * server (0.5–2 s for a Node server, more through npx) and a second run of its start-up side
 * effects; a subclass probes on the one process the pool keeps. The rare server that exits on a
 * request before `initialize` is started again without the probe (see {@link openClient}).
 */
class InPlaceProbeStdioTransport extends StdioClientTransport {}

/** A client connected to an upstream server. */
export interface OpenedClient {
  client: Client;
  /** The child's pid, for stdio servers. */
  pid: number | undefined;
}

/** What {@link openClient} needs. */
export interface OpenClientOptions {
  config: UpstreamServerConfig;
  /** Our name and version, sent as clientInfo. */
  clientInfo: { name: string; version: string };
  /** Limit of each request of the start (probe, handshake). */
  timeoutMs: number;
  /** Longest wait for an answer to `server/discover`. */
  probeTimeoutMs: number;
  /** Ends the start. */
  signal: AbortSignal;
  /** The server said its tool list changed (pushed by a 2025 server; on the listen stream of a 2026 one). */
  onToolsChanged: () => void;
  /** A transport error (also surfaced as failed requests or a close). */
  onError: (error: Error) => void;
  /** Collects the stderr of stdio servers, kept for error reports. */
  stderr: StderrTail;
}

function stdioParameters(config: UpstreamServerConfig & { type: 'stdio' }): StdioServerParameters {
  return {
    command: config.command,
    args: config.args,
    // Allow-listed: the SDK's safe defaults (HOME, PATH, …) plus what the config sets, never our secrets.
    env: { ...getDefaultEnvironment(), ...config.env },
    ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  };
}

function createTransport(config: UpstreamServerConfig): { transport: Transport; stdio?: StdioClientTransport } {
  if (config.type === 'stdio') {
    const stdio = new InPlaceProbeStdioTransport(stdioParameters(config));
    return { transport: stdio, stdio };
  }
  const requestInit = { headers: config.headers };
  const url = new URL(config.url);
  return { transport: config.type === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit }) };
}

function createClient(options: OpenClientOptions, negotiate: boolean): Client {
  const client = new Client(
    { name: options.clientInfo.name, version: options.clientInfo.version },
    {
      // None: we answer no elicitation, sampling or roots for an upstream server.
      capabilities: {},
      versionNegotiation: negotiate ? { mode: 'auto', probe: { timeoutMs: options.probeTimeoutMs } } : { mode: 'legacy' },
      // `input_required` rounds are driven by the SDK (default): a round that only carries
      // `requestState` is retried with it; one that asks for input fails, as no handler is registered.
      listMaxPages: MAX_LIST_PAGES,
      // A 2025 server pushes list_changed; on 2026 the SDK opens a `subscriptions/listen` stream for it.
      listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: () => options.onToolsChanged() } },
    },
  );
  client.onerror = options.onError;
  return client;
}

/** The probe closed the connection: the server exited on a request before `initialize`. */
function isClosedByProbe(err: unknown): boolean {
  return err instanceof SdkError && err.code === SdkErrorCode.EraNegotiationFailed;
}

/**
 * Connect to the server. Stdio and Streamable HTTP servers are probed with `server/discover`
 * (SDK `versionNegotiation: 'auto'`); SSE is a 2025-only transport, so it goes straight to
 * `initialize`. A stdio server that exits on the probe is started once more, straight to `initialize`.
 * @throws what the SDK throws when the server cannot be started or reached; the client is closed.
 */
export async function openClient(options: OpenClientOptions): Promise<OpenedClient> {
  const attempt = async (negotiate: boolean): Promise<OpenedClient> => {
    const { transport, stdio } = createTransport(options.config);
    stdio?.stderr?.on('data', (chunk: Buffer) => options.stderr.append(chunk.toString('utf8')));
    const client = createClient(options, negotiate);
    try {
      await client.connect(transport, { timeout: options.timeoutMs, signal: options.signal });
    } catch (err) {
      await client.close().catch(() => undefined);
      throw err;
    }
    return { client, pid: stdio?.pid ?? undefined };
  };
  try {
    return await attempt(options.config.type !== 'sse');
  } catch (err) {
    if (options.config.type !== 'stdio' || !isClosedByProbe(err) || options.signal.aborted) throw err;
    return attempt(false);
  }
}
