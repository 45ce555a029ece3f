import { describe, expect, it } from 'vitest';
import type { RunRecord } from './run-record.js';
import { abbreviate, renderTranscript } from './transcript.js';

const ended: RunRecord = {
  run_id: 'run-1',
  agent: 'reader',
  model: 'claude-sonnet-5-5',
  status: 'ended',
  prompt: 'What is in notes.txt?',
  started_at: '2026-01-01T00:00:00.000Z',
  ended_at: '2026-01-01T00:00:05.000Z',
  outcome: {
    answer: 'It lists alpha and beta.',
    stop_reason: 'end_turn',
    backend: 'anthropic',
    turns: 2,
    usage: { input_tokens: 1200, output_tokens: 80, cache_creation_input_tokens: 900, cache_read_input_tokens: 300 },
    cost_usd: 0.00567,
    duration_ms: 5000,
    warnings: [],
  },
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'What is in notes.txt?' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Let me read it.' }, { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/w/notes.txt' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: `alpha\nbeta\n${'x'.repeat(2000)}` }] }] },
    { role: 'assistant', content: [{ type: 'text', text: 'It lists alpha and beta.' }] },
  ],
};

describe('renderTranscript', () => {
  it('shows the prompt, each tool call with its result abbreviated, the answer, usage and cost', () => {
    const md = renderTranscript(ended);
    expect(md).toContain('# Run run-1');
    expect(md).toContain('## Prompt\n\nWhat is in notes.txt?');
    expect(md).toContain('**Tool call `Read`**');
    expect(md).toContain('/w/notes.txt');
    expect(md).toContain('alpha\nbeta');
    expect(md).toMatch(/more characters\]/);
    expect(md).not.toContain('x'.repeat(1000));
    expect(md).toContain('## Answer\n\nIt lists alpha and beta.');
    expect(md).toContain('1200 input, 80 output, 900 cache write, 300 cache read');
    expect(md).toContain('Cost: $0.005670');
    // The prompt is shown once, not again among the steps.
    expect(md.split('What is in notes.txt?')).toHaveLength(2);
  });

  it('fences results so that backticks inside cannot break out', () => {
    const tricky: RunRecord = {
      ...ended,
      messages: [ended.messages[0]!, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: '```\n# not a heading' }] }] }],
    };
    expect(renderTranscript(tricky)).toContain('````\n```\n# not a heading\n````');
  });

  it('says when a run has not ended, and shows an error with its advice', () => {
    expect(renderTranscript({ ...ended, status: 'running', outcome: undefined, messages: [] })).toContain('_(the run has not ended)_');
    const failed = renderTranscript({ ...ended, outcome: { ...ended.outcome!, stop_reason: 'error', answer: '', error: { kind: 'auth', message: 'The model API answered 401', advice: 'Check ANTHROPIC_API_KEY.' } } });
    expect(failed).toContain('## Error\n\nThe model API answered 401\n\nCheck ANTHROPIC_API_KEY.');
  });

  it('shows the whole conversation of a resumed run, earlier prompt included', () => {
    const md = renderTranscript({ ...ended, resumed_from: 'run-0', prompt: 'And gamma?' });
    expect(md).toContain('Resumes: run://run-0');
    expect(md).toContain('**User:** What is in notes.txt?');
  });
});

describe('abbreviate', () => {
  it('keeps short text and says how much of long text was left out', () => {
    expect(abbreviate('short', 10)).toBe('short');
    expect(abbreviate('abcdef', 3)).toBe('abc… [3 more characters]');
  });
});
