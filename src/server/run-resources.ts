/**
 * Kept runs as MCP resources: `agents://runs` lists the recent ones, `run://<run_id>` is a
 * run's Markdown transcript and `run://<run_id>/json` its full record.
 */
import { type ReadResourceResult, type Resource, type ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { ownerOf } from '../run/run-record.js';
import { RunStoreUnavailableError, type RunStore, type RunSummary } from '../run/run-store.js';
import { abbreviate, renderTranscript } from '../run/transcript.js';

export const RUNS_URI = 'agents://runs';
export const RUN_URI_PREFIX = 'run://';
const JSON_SUFFIX = '/json';
const MAX_LISTED_PROMPT_CHARS = 200;

/** The static resource listing the runs. */
export const RUNS_RESOURCE: Resource = {
  uri: RUNS_URI,
  name: 'runs',
  title: 'Recent agent runs',
  mimeType: 'application/json',
  description: 'Your recent runs on this server, newest first: run_id, agent, status, stop_reason, cost. Read run://<run_id> for a transcript.',
};

/** The templates of one run's resources. */
export const RUN_RESOURCE_TEMPLATES: ResourceTemplate[] = [
  { uriTemplate: `${RUN_URI_PREFIX}{run_id}`, name: 'run-transcript', title: 'Run transcript', mimeType: 'text/markdown', description: 'A run as Markdown: prompt, tool calls and results (abbreviated), answer, usage and cost.' },
  { uriTemplate: `${RUN_URI_PREFIX}{run_id}${JSON_SUFFIX}`, name: 'run-json', title: 'Run record', mimeType: 'application/json', description: 'A run\'s full record: the whole conversation, outcome, usage and cost.' },
];

/** One row of `agents://runs`. */
function summarize(record: RunSummary): Record<string, unknown> {
  const o = record.outcome;
  return {
    run_id: record.run_id,
    uri: `${RUN_URI_PREFIX}${record.run_id}`,
    agent: record.agent,
    model: record.model,
    status: record.status,
    ...(o ? { stop_reason: o.stop_reason, turns: o.turns, cost_usd: o.cost_usd, duration_ms: o.duration_ms } : {}),
    started_at: record.started_at,
    ...(record.ended_at ? { ended_at: record.ended_at } : {}),
    ...(record.resumed_from ? { resumed_from: record.resumed_from } : {}),
    prompt: abbreviate(record.prompt, MAX_LISTED_PROMPT_CHARS),
  };
}

/** True when `uri` is one of the run resources (whether or not the run exists). */
export function isRunResourceUri(uri: string): boolean {
  return uri === RUNS_URI || uri.startsWith(RUN_URI_PREFIX);
}

/**
 * A resources/read answered, or why not (each era answers that with its own error): no such
 * resource, or (`unavailable`) the run store cannot be reached right now — a server fault, not
 * the client's.
 */
export type ResourceRead = { ok: true; result: ReadResourceResult } | { ok: false; message: string; unavailable?: true };

/**
 * Read a run resource as `principal`: the list holds only their runs, and another principal's
 * run is "not found", word for word as an unknown id, so nobody learns that it exists.
 */
export async function readRunResource(uri: string, runs: RunStore, principal: string): Promise<ResourceRead> {
  try {
    return await readKeptRun(uri, runs, principal);
  } catch (error) {
    if (error instanceof RunStoreUnavailableError) return { ok: false, message: error.message, unavailable: true };
    throw error;
  }
}

async function readKeptRun(uri: string, runs: RunStore, principal: string): Promise<ResourceRead> {
  if (uri === RUNS_URI) {
    const text = JSON.stringify({ runs: (await runs.list(principal)).map(summarize) }, null, 2);
    return { ok: true, result: { contents: [{ uri, mimeType: 'application/json', text }] } };
  }
  const rest = uri.slice(RUN_URI_PREFIX.length);
  const asJson = rest.endsWith(JSON_SUFFIX);
  const runId = asJson ? rest.slice(0, -JSON_SUFFIX.length) : rest;
  const record = await runs.get(runId);
  if (!record || ownerOf(record) !== principal) return { ok: false, message: `Run not found: ${runId}. Read ${RUNS_URI} for the runs this server keeps.` };
  const contents = asJson
    ? [{ uri, mimeType: 'application/json', text: JSON.stringify(record, null, 2) }]
    : [{ uri, mimeType: 'text/markdown', text: renderTranscript(record) }];
  return { ok: true, result: { contents } };
}
