/**
 * One short line per step of a run, for progress notifications: what the sub-agent is doing
 * now, in words a person watching a client's spinner can follow.
 */
import type { CallEvent } from '../run/runner.js';

const MAX_INPUT_SUMMARY_CHARS = 80;

/** Input keys that say the most about a tool call, in the order they are preferred. */
const TELLING_KEYS = ['file_path', 'path', 'pattern', 'command', 'url', 'query', 'description', 'prompt'];

/** Keep the end of a long path (the file name matters most), the start of anything else. */
function shorten(value: string, keepEnd: boolean): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_INPUT_SUMMARY_CHARS) return flat;
  const keep = MAX_INPUT_SUMMARY_CHARS - 1;
  return keepEnd ? `…${flat.slice(-keep)}` : `${flat.slice(0, keep)}…`;
}

/** A few words about a tool call's input: its most telling string, else its JSON, shortened. */
export function summarizeToolInput(input: unknown): string {
  if (input && typeof input === 'object' && !Array.isArray(input)) {
    const record = input as Record<string, unknown>;
    const key = TELLING_KEYS.find((k) => typeof record[k] === 'string' && record[k] !== '');
    if (key) return shorten(record[key] as string, key === 'file_path' || key === 'path');
    const firstString = Object.values(record).find((v): v is string => typeof v === 'string' && v !== '');
    if (firstString !== undefined) return shorten(firstString, false);
  }
  const json = JSON.stringify(input) ?? '';
  return json === '{}' ? '' : shorten(json, false);
}

/**
 * The progress line for a step, or undefined for streamed text (whose line depends on how much
 * has been written, see {@link writingLine}).
 */
export function describeStep(event: CallEvent): string | undefined {
  switch (event.type) {
    case 'queued':
      return `queued (position ${event.position})`;
    case 'started':
      return `${event.agent} started on ${event.model}`;
    case 'turn_start':
      return `turn ${event.turn}: waiting for the model`;
    case 'tool_start': {
      const summary = summarizeToolInput(event.input);
      return summary ? `${event.name}: ${summary}` : event.name;
    }
    case 'tool_end':
      return `${event.name} ${event.isError ? 'failed' : 'done'}`;
    case 'text':
      return undefined;
  }
}

/** The progress line while the model writes. */
export function writingLine(turn: number, chars: number): string {
  return `turn ${turn}: writing (${chars} characters)`;
}
