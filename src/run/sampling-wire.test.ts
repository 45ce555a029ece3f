import { describe, expect, it } from 'vitest';
import type { ModelRequest } from './model.js';
import { fromSamplingContent, fromSamplingResult, mapSamplingStopReason, toModelPreferences, toSamplingContent, toSamplingParams, usageFromMeta } from './sampling-wire.js';

const PNG = 'iVBORw0KGgo=';

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-sonnet-5-5',
    system: 'You are a tester.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'go' }] }],
    tools: [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }],
    maxTokens: 1000,
    requestedModel: 'sonnet',
    ...overrides,
  };
}

describe('toSamplingParams', () => {
  it('sends the system prompt, history, tools, output cap and the agent model as a hint', () => {
    expect(toSamplingParams(request())).toEqual({
      systemPrompt: 'You are a tester.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'go' }] }],
      maxTokens: 1000,
      tools: [{ name: 'Read', description: 'Read a file', inputSchema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }],
      modelPreferences: { hints: [{ name: 'sonnet' }] },
    });
  });

  it('sends tool results apart from a resumed run\'s follow-up text, so each message with results holds nothing else', () => {
    const params = toSamplingParams(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'look' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/w/a' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'Not run' }], is_error: true }, { type: 'text', text: 'go on' }] },
        ],
      }),
    );
    expect(params.messages.slice(2)).toEqual([
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 't1', content: [{ type: 'text', text: 'Not run' }], isError: true }] },
      { role: 'user', content: [{ type: 'text', text: 'go on' }] },
    ]);
  });

  it('sends no tools key for an agent without tools, and no preference for inherit', () => {
    const params = toSamplingParams(request({ tools: [], requestedModel: 'inherit' }));
    expect(params).not.toHaveProperty('tools');
    expect(params).not.toHaveProperty('modelPreferences');
  });

  it('maps a whole tool round both ways: tool_use, tool_result with text and image, is_error', () => {
    const params = toSamplingParams(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'look' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'reading' }, { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/w/a.png' } }, { type: 'thinking', thinking: 'hm', signature: 's' }] },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'an image' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
              { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'no such file' }], is_error: true },
            ],
          },
        ],
      }),
    );
    expect(params.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'look' }] },
      // The Anthropic-only thinking block has no sampling form and is left out.
      { role: 'assistant', content: [{ type: 'text', text: 'reading' }, { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/w/a.png' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolUseId: 't1', content: [{ type: 'text', text: 'an image' }, { type: 'image', data: PNG, mimeType: 'image/png' }] },
          { type: 'tool_result', toolUseId: 't2', content: [{ type: 'text', text: 'no such file' }], isError: true },
        ],
      },
    ]);
  });

  it('round-trips every block kind a sampling history holds', () => {
    const blocks = [
      { type: 'text', text: 'hi' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'tool_use', id: 'x', name: 'Grep', input: { pattern: 'a' } },
      { type: 'tool_result', tool_use_id: 'x', content: [{ type: 'text', text: 'a.txt' }], is_error: true },
    ];
    for (const block of blocks) {
      const there = toSamplingContent(block);
      expect(there).toBeDefined();
      expect(fromSamplingContent(there!)).toEqual(block);
    }
  });
});

describe('toModelPreferences', () => {
  it('hints an alias or a full id as written and leaves inherit to the client', () => {
    expect(toModelPreferences('sonnet')).toEqual({ hints: [{ name: 'sonnet' }] });
    expect(toModelPreferences('claude-opus-4-1-20250805')).toEqual({ hints: [{ name: 'claude-opus-4-1-20250805' }] });
    expect(toModelPreferences('inherit')).toBeUndefined();
    expect(toModelPreferences(undefined)).toBeUndefined();
  });
});

describe('mapSamplingStopReason', () => {
  it('maps the spec values and keeps unknown ones as other', () => {
    expect(mapSamplingStopReason('endTurn', false)).toBe('end_turn');
    expect(mapSamplingStopReason('toolUse', true)).toBe('tool_use');
    expect(mapSamplingStopReason('maxTokens', false)).toBe('max_tokens');
    expect(mapSamplingStopReason('stopSequence', false)).toBe('stop_sequence');
    expect(mapSamplingStopReason('refusal', false)).toBe('refusal');
    expect(mapSamplingStopReason('contentFilter', false)).toBe('other');
  });

  it('treats a turn holding tool calls as tool_use when the client says endTurn or nothing', () => {
    expect(mapSamplingStopReason('endTurn', true)).toBe('tool_use');
    expect(mapSamplingStopReason(undefined, true)).toBe('tool_use');
    expect(mapSamplingStopReason(undefined, false)).toBe('end_turn');
  });
});

describe('usageFromMeta', () => {
  it('reads usage in either naming and gives zeros when there is none or it is malformed', () => {
    expect(usageFromMeta({ usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 2 } })).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 2,
    });
    expect(usageFromMeta({ usage: { inputTokens: 7, outputTokens: 3 } })).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    const zero = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    expect(usageFromMeta(undefined)).toEqual(zero);
    expect(usageFromMeta({ usage: { input_tokens: -1, output_tokens: 'x' } })).toEqual(zero);
  });
});

describe('fromSamplingResult', () => {
  it('accepts a single block or an array, and reports the model that answered', () => {
    const single = fromSamplingResult({ role: 'assistant', model: 'gpt-x', stopReason: 'endTurn', content: { type: 'text', text: 'done' } });
    expect(single).toEqual({
      content: [{ type: 'text', text: 'done' }],
      stopReason: 'end_turn',
      rawStopReason: 'endTurn',
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      model: 'gpt-x',
    });
    const calls = fromSamplingResult({
      role: 'assistant',
      model: 'm',
      stopReason: 'toolUse',
      content: [
        { type: 'tool_use', id: 'a', name: 'Read', input: {} },
        { type: 'tool_use', id: 'b', name: 'LS', input: {} },
      ],
    });
    expect(calls.stopReason).toBe('tool_use');
    expect(calls.content.map((b) => b.type)).toEqual(['tool_use', 'tool_use']);
  });
});
