/**
 * A kept run as a Markdown transcript for people: the prompt, each step (the model's text,
 * its tool calls and their results, abbreviated), the answer, usage and cost. The full data
 * is in the JSON form; this one is for reading.
 */
import type { ContentBlock, ModelMessage } from './model.js';
import type { RunRecord } from './run-record.js';

/** How much of each part a transcript shows. */
const MAX_TEXT_CHARS = 4000;
const MAX_TOOL_INPUT_CHARS = 300;
const MAX_TOOL_RESULT_CHARS = 600;

/** `text` cut to `max` characters, saying how much was left out. */
export function abbreviate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/** A fenced code block that survives backticks inside `text`. */
function fenced(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

function resultText(content: unknown): string {
  if (!Array.isArray(content)) return typeof content === 'string' ? content : JSON.stringify(content);
  return content
    .map((part: { type?: unknown; text?: unknown }) => (part.type === 'text' && typeof part.text === 'string' ? part.text : `[${String(part.type)}]`))
    .join('\n');
}

function renderBlock(block: ContentBlock, role: ModelMessage['role']): string {
  const b = block as { type: string; text?: unknown; name?: unknown; input?: unknown; content?: unknown; is_error?: unknown };
  switch (b.type) {
    case 'text':
      return `**${role === 'user' ? 'User' : 'Agent'}:** ${abbreviate(String(b.text), MAX_TEXT_CHARS)}`;
    case 'tool_use':
      return `**Tool call \`${String(b.name)}\`** ${fenced(abbreviate(JSON.stringify(b.input), MAX_TOOL_INPUT_CHARS))}`;
    case 'tool_result':
      return `**Result${b.is_error === true ? ' (error)' : ''}:**\n${fenced(abbreviate(resultText(b.content), MAX_TOOL_RESULT_CHARS))}`;
    default:
      return `_(${b.type} block not shown)_`;
  }
}

function usd(n: number | null): string {
  if (n === null) return 'unknown (no price for the model)';
  return `$${n.toFixed(n < 0.01 ? 6 : 4)}`;
}

/** Render `record` as Markdown. */
export function renderTranscript(record: RunRecord): string {
  const o = record.outcome;
  const lines = [`# Run ${record.run_id}`, ''];
  lines.push(`- Agent: ${record.agent}`);
  lines.push(`- Model: ${record.model}`);
  lines.push(`- Status: ${record.status}${o ? ` (stop_reason: ${o.stop_reason})` : ''}`);
  lines.push(`- Started: ${record.started_at}${record.ended_at ? `, ended: ${record.ended_at}` : ''}`);
  if (record.resumed_from) lines.push(`- Resumes: run://${record.resumed_from}`);
  if (o) {
    lines.push(`- Turns: ${o.turns}, duration: ${(o.duration_ms / 1000).toFixed(1)} s`);
    const u = o.usage;
    lines.push(
      `- Usage: ${u.input_tokens} input, ${u.output_tokens} output, ${u.cache_creation_input_tokens} cache write, ${u.cache_read_input_tokens} cache read tokens`,
    );
    lines.push(`- Cost: ${usd(o.cost_usd)}`);
  }
  lines.push('', '## Prompt', '', abbreviate(record.prompt, MAX_TEXT_CHARS), '', '## Steps', '');
  // The first user message is the prompt (shown above) unless this run resumed an earlier one.
  const steps = record.resumed_from ? record.messages : record.messages.slice(1);
  for (const message of steps) {
    for (const block of message.content) lines.push(renderBlock(block, message.role), '');
  }
  if (steps.length === 0) lines.push('_(none)_', '');
  if (o?.error) lines.push('## Error', '', `${o.error.message}`, '', o.error.advice, '');
  lines.push('## Answer', '', o ? o.answer || '_(no answer)_' : '_(the run has not ended)_', '');
  if (o && o.warnings.length > 0) lines.push('## Warnings', '', ...o.warnings.map((w) => `- ${w}`), '');
  return lines.join('\n');
}
