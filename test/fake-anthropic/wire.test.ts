import { describe, expect, it } from 'vitest';
import { reply, text, thinking, toolUse } from './steps.js';
import { encodeSseFrame, renderReply, splitIntoChunks, type RenderContext } from './wire.js';

function context(): RenderContext {
  let n = 0;
  return { messageId: 'msg_fake_1', model: 'claude-test-1', requestBytes: 400, nextToolUseId: () => `toolu_fake_${++n}` };
}

describe('splitIntoChunks', () => {
  it('splits by code points, keeping surrogate pairs whole', () => {
    expect(splitIntoChunks('ab😀cd', 3)).toEqual(['ab😀', 'cd']);
  });

  it('returns no chunks for an empty string', () => {
    expect(splitIntoChunks('', 4)).toEqual([]);
  });
});

describe('encodeSseFrame', () => {
  it('writes an event line, a data line and a blank line', () => {
    expect(encodeSseFrame({ event: 'ping', data: { type: 'ping' } })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});

describe('renderReply', () => {
  it('orders frames as the API does, with a ping after message_start', () => {
    const { frames } = renderReply(reply([text('hi')]), context());

    expect(frames.map((f) => f.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('starts tool input with an empty partial_json and rebuilds the input from the pieces', () => {
    const input = { file_path: '/a/b/c.ts', offset: 10 };
    const { frames } = renderReply(reply([toolUse('Read', input)]), context());

    const partials = frames.flatMap((f) => {
      const data = f.data as { delta?: { type: string; partial_json?: string } };
      return data.delta?.type === 'input_json_delta' ? [data.delta.partial_json ?? ''] : [];
    });
    expect(partials[0]).toBe('');
    expect(JSON.parse(partials.join(''))).toEqual(input);
  });

  it('defaults stop_reason from the content and estimates usage, overridably', () => {
    const tool = renderReply(reply([text('x'), toolUse('Read', {})]), context()).message;
    const plain = renderReply(reply([thinking('t')], { usage: { input_tokens: 3 } }), context()).message;

    expect(tool.stop_reason).toBe('tool_use');
    expect(tool.usage.input_tokens).toBe(100);
    expect(plain.stop_reason).toBe('end_turn');
    expect(plain.usage).toMatchObject({ input_tokens: 3, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
  });

  it('puts input usage in message_start and the final output_tokens in message_delta', () => {
    const { frames } = renderReply(reply([text('hello')], { usage: { output_tokens: 50, cache_read_input_tokens: 8 } }), context());

    expect(frames[0]?.data).toMatchObject({ message: { usage: { output_tokens: 1, cache_read_input_tokens: 8 } } });
    expect(frames.at(-2)?.data).toMatchObject({ usage: { output_tokens: 50 }, delta: { stop_reason: 'end_turn' } });
  });
});
