/**
 * The request rules of the real Messages API that the fake enforces, so a request the real API
 * would reject with 400 `invalid_request_error` is rejected here too:
 *
 * - **Signed thinking blocks.** A thinking block's signature binds its text and the prefix it was
 *   produced under: the system prompt, the tools and every earlier message (and earlier blocks of
 *   its own turn). A block sent back with changed text, or in a request whose system, tools or
 *   earlier messages differ, is rejected; so is a signature this server never issued. Breakpoint
 *   placement (`cache_control`) is not part of the prefix.
 * - **Prompt-cache breakpoints.** At most 4 `cache_control` markers per request; never on a
 *   thinking block, nor on an empty text block; only on block types the API caches.
 * - **`output_config.effort`** is one of the documented levels.
 *
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 * @see https://platform.claude.com/docs/en/build-with-claude/effort
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { MessagesRequestBody } from './request.js';

/** The API's limit on cache breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** Content block types a `cache_control` may sit on. */
const CACHEABLE_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image',
  'document',
  'search_result',
  'tool_use',
  'tool_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
]);

/** `output_config.effort` values the API documents. */
export const EFFORT_LEVELS: ReadonlySet<string> = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Signs and verifies thinking blocks with a key of this server alone (like account-bound signatures). */
export interface ThinkingSigner {
  /** The signature of a thinking block with `text`, produced after `prefix`. */
  sign(text: string, prefix: ThinkingPrefix): string;
}

/** What a thinking block was produced under. */
export interface ThinkingPrefix {
  system: unknown;
  tools: unknown;
  /** Every message before the block's turn. */
  messages: readonly unknown[];
  /** Blocks of the block's own turn that precede it. */
  blocksBefore: readonly unknown[];
}

/** Create a signer with a fresh random key. */
export function createThinkingSigner(): ThinkingSigner {
  const key = randomBytes(32);
  return {
    sign(text, prefix) {
      const payload = canonical({
        thinking: text,
        system: normalizeSystem(prefix.system),
        tools: withoutCacheControl(prefix.tools ?? []),
        messages: prefix.messages.map(normalizeMessage),
        blocks_before: withoutCacheControl(prefix.blocksBefore),
      });
      return `fakesig.${createHmac('sha256', key).update(payload).digest('base64url')}`;
    },
  };
}

/** The first rule `body` breaks, as the API's error message, or undefined when it breaks none. */
export function findRuleViolation(body: MessagesRequestBody, signer: ThinkingSigner): string | undefined {
  return checkCacheControl(body) ?? checkEffort(body) ?? checkThinkingSignatures(body, signer);
}

function checkCacheControl(body: MessagesRequestBody): string | undefined {
  const markers: Array<{ at: string; value: unknown }> = [];
  const tools = (body.tools ?? []) as Array<Record<string, unknown>>;
  tools.forEach((t, i) => {
    if (t['cache_control'] !== undefined) markers.push({ at: `tools.${i}`, value: t['cache_control'] });
  });
  const system = Array.isArray(body.system) ? (body.system as Array<Record<string, unknown>>) : [];
  for (const [i, b] of system.entries()) {
    if (b['cache_control'] === undefined) continue;
    if (b['text'] === '') return `system.${i}.cache_control: cache_control cannot be set for empty text blocks`;
    markers.push({ at: `system.${i}`, value: b['cache_control'] });
  }
  for (const [i, m] of body.messages.entries()) {
    if (typeof m.content === 'string') continue;
    for (const [j, b] of m.content.entries()) {
      const block = b as Record<string, unknown>;
      if (block['cache_control'] === undefined) continue;
      const at = `messages.${i}.content.${j}`;
      if (block.type === 'thinking' || block.type === 'redacted_thinking') {
        return `${at}.${block.type}.cache_control: cache_control cannot be set for thinking blocks`;
      }
      if (!CACHEABLE_BLOCK_TYPES.has(block.type as string)) return `${at}.cache_control: cache_control cannot be set on a ${String(block.type)} block`;
      if (block.type === 'text' && block['text'] === '') return `${at}.cache_control: cache_control cannot be set for empty text blocks`;
      markers.push({ at, value: block['cache_control'] });
    }
  }
  for (const { at, value } of markers) {
    const problem = checkCacheControlValue(at, value);
    if (problem) return problem;
  }
  if (markers.length > MAX_CACHE_BREAKPOINTS) {
    return `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${markers.length}.`;
  }
  return undefined;
}

function checkCacheControlValue(at: string, value: unknown): string | undefined {
  const cc = value as Record<string, unknown> | null;
  if (cc === null || typeof cc !== 'object' || cc['type'] !== 'ephemeral') return `${at}.cache_control.type: Input should be 'ephemeral'`;
  if (cc['ttl'] !== undefined && cc['ttl'] !== '5m' && cc['ttl'] !== '1h') return `${at}.cache_control.ttl: Input should be '5m' or '1h'`;
  return undefined;
}

function checkEffort(body: MessagesRequestBody): string | undefined {
  const config = (body as Record<string, unknown>)['output_config'];
  if (config === undefined) return undefined;
  const effort = (config as Record<string, unknown> | null)?.['effort'];
  if (effort === undefined || effort === null) return undefined;
  if (typeof effort !== 'string' || !EFFORT_LEVELS.has(effort)) {
    return `output_config.effort: Input should be ${[...EFFORT_LEVELS].map((e) => `'${e}'`).join(', ')}`;
  }
  return undefined;
}

function checkThinkingSignatures(body: MessagesRequestBody, signer: ThinkingSigner): string | undefined {
  for (const [i, m] of body.messages.entries()) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const [j, b] of m.content.entries()) {
      const block = b as Record<string, unknown>;
      if (block.type !== 'thinking') continue;
      const at = `messages.${i}.content.${j}`;
      if (typeof block['thinking'] !== 'string' || typeof block['signature'] !== 'string' || block['signature'] === '') {
        return `${at}.thinking.signature: Field required`;
      }
      const expected = signer.sign(block['thinking'], { system: body.system, tools: body.tools, messages: body.messages.slice(0, i), blocksBefore: m.content.slice(0, j) });
      if (block['signature'] !== expected) {
        return `${at}: Invalid \`signature\` in \`thinking\` block. The block was changed, or the system prompt, tools or earlier messages differ from those it was produced under.`;
      }
    }
  }
  return undefined;
}

function normalizeSystem(system: unknown): Json {
  if (system === undefined) return [];
  if (typeof system === 'string') return [system];
  return (system as Array<{ text: string }>).map((b) => b.text);
}

function normalizeMessage(message: unknown): Json {
  const m = message as { role: string; content: unknown };
  const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content;
  return { role: m.role, content: withoutCacheControl(content) };
}

/** A copy of `value` without any `cache_control` key, at any depth. */
function withoutCacheControl(value: unknown): Json {
  if (Array.isArray(value)) return value.map(withoutCacheControl);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'cache_control' && v !== undefined) out[k] = withoutCacheControl(v);
    return out;
  }
  return value as Json;
}

/** JSON with object keys sorted, so key order never decides equality. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
