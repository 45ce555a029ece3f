/**
 * The delegation chain: which agents are running, outermost first, for the call at hand. It
 * guards against delegations that loop or nest without end, inside one process (the Agent
 * tool) and across processes (it travels in the `_meta` of every tools/call we send upstream,
 * and is read from every tools/call we receive).
 */
import { z } from 'zod';

/**
 * The `_meta` key that carries the chain on a tools/call request. Its value is a JSON array of
 * {@link ChainLink}, outermost caller first. Namespaced as the MCP spec asks for `_meta` keys.
 */
export const CHAIN_META_KEY = 'io.agents-mcp/chain';

/** Default `--max-depth`: how many agent runs may be on one chain (parent → child → grandchild). */
export const DEFAULT_MAX_DEPTH = 3;

/** Longest chain accepted from the wire; far beyond any sane depth limit, it only bounds input. */
const MAX_WIRE_CHAIN_LINKS = 64;

/** One agent run on the chain. */
export interface ChainLink {
  /** The agent's name (as in its file's `name`). Two agents with the same name count as the same agent. */
  agent: string;
  /** The run's id, for logs and for following a call across processes. */
  run_id: string;
}

/** The chain as it may arrive in `_meta`: validated, bounded; unknown fields per link are dropped. */
export const ChainSchema = z
  .array(z.object({ agent: z.string().min(1).max(256), run_id: z.string().max(256) }))
  .max(MAX_WIRE_CHAIN_LINKS);

/** Why a call was refused, in words the calling model can act on. */
export interface ChainRefusal {
  kind: 'depth_limit' | 'cycle';
  message: string;
  advice: string;
}

function describeChain(chain: readonly ChainLink[], next: string): string {
  return [...chain.map((l) => l.agent), next].join(' → ');
}

/**
 * May `agent` run, called by `callers` (outermost first)? Refused when the agent is already on
 * the chain (the call would loop) or when the run would make the chain longer than `maxDepth`.
 */
export function checkChain(callers: readonly ChainLink[], agent: string, maxDepth: number): ChainRefusal | undefined {
  if (callers.some((l) => l.agent === agent)) {
    return {
      kind: 'cycle',
      message: `Delegation refused: agent "${agent}" is already running on this call chain (${describeChain(callers, agent)}); calling it again would loop.`,
      advice: 'Do this part of the task yourself, or delegate it to an agent that is not already on the chain.',
    };
  }
  if (callers.length + 1 > maxDepth) {
    return {
      kind: 'depth_limit',
      message: `Delegation refused: running "${agent}" would nest agents ${callers.length + 1} deep (${describeChain(callers, agent)}); the limit is ${maxDepth} (--max-depth).`,
      advice: 'Do this part of the task yourself instead of delegating it.',
    };
  }
  return undefined;
}

/** The result of reading a chain from a request's `_meta`. */
export type ChainFromMeta = { ok: true; chain: ChainLink[] } | { ok: false; reason: string };

/**
 * Read the chain from a request's `_meta` (absent → empty chain). A present but malformed
 * value is reported, never guessed at: a chain we cannot read cannot guard anything.
 */
export function readChainFromMeta(meta: Record<string, unknown> | undefined): ChainFromMeta {
  const raw = meta?.[CHAIN_META_KEY];
  if (raw === undefined) return { ok: true, chain: [] };
  const parsed = ChainSchema.safeParse(raw);
  if (parsed.success) return { ok: true, chain: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, reason: `_meta["${CHAIN_META_KEY}"] is not a valid chain${where}: ${issue?.message ?? 'invalid'}; expected an array of {"agent", "run_id"}` };
}

/** The `_meta` to send with an outgoing tools/call made by a run whose chain is `chain`. */
export function chainMeta(chain: readonly ChainLink[]): Record<string, unknown> {
  return { [CHAIN_META_KEY]: chain.map((l) => ({ agent: l.agent, run_id: l.run_id })) };
}
