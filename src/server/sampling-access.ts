/**
 * The calling session's sampling, as run/ needs it: whether the client declared `sampling`
 * (and `sampling.tools`), and a createMessage bound to this session and this tools/call.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { SamplingAccess } from '../run/sampling.js';

/** `name version` of the connected client, when it introduced itself. */
function clientName(server: Server): string | undefined {
  const info = server.getClientVersion();
  return info ? `${info.name} ${info.version}` : undefined;
}

/**
 * Sampling on `server`'s session for the tools/call `relatedRequestId`, or undefined when the
 * client declared no sampling. Requests are tied to the call so that HTTP transports send them
 * on that call's stream.
 */
export function samplingAccessFor(server: Server, relatedRequestId: RequestId): SamplingAccess | undefined {
  const sampling = server.getClientCapabilities()?.sampling;
  if (!sampling) return undefined;
  const name = clientName(server);
  return {
    tools: sampling.tools !== undefined,
    createMessage: (params, { signal, timeoutMs }) => server.createMessage(params, { signal, timeout: timeoutMs, relatedRequestId }),
    ...(name ? { clientName: name } : {}),
  };
}

/** What the connected client offers for sampling, for the log line at connection. */
export function describeClientSampling(server: Server): { client: string | undefined; sampling: 'none' | 'without tools' | 'with tools' } {
  const sampling = server.getClientCapabilities()?.sampling;
  return { client: clientName(server), sampling: !sampling ? 'none' : sampling.tools !== undefined ? 'with tools' : 'without tools' };
}
