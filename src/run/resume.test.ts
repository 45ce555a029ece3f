import { describe, expect, it } from 'vitest';
import type { ModelMessage } from './model.js';
import { continueConversation } from './resume.js';

const user = (text: string): ModelMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ModelMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });

describe('continueConversation', () => {
  it('starts a conversation from nothing', () => {
    expect(continueConversation([], 'hi')).toEqual([user('hi')]);
  });

  it('adds the follow-up after an answer', () => {
    expect(continueConversation([user('q1'), assistant('a1')], 'q2')).toEqual([user('q1'), assistant('a1'), user('q2')]);
  });

  it('joins the follow-up to a history that ends with the user (tool results, or a cancelled first turn)', () => {
    const results: ModelMessage = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }] }] };
    const out = continueConversation([user('q1'), assistant('a1'), results], 'go on');
    expect(out).toHaveLength(3);
    expect(out[2]?.content.map((b) => b.type)).toEqual(['tool_result', 'text']);
  });

  it('answers tool calls that never ran, so the API accepts the history', () => {
    const calls: ModelMessage = { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: {} }, { type: 'tool_use', id: 't2', name: 'LS', input: {} }] };
    const out = continueConversation([user('q1'), calls], 'go on');
    expect(out[2]).toMatchObject({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', is_error: true },
        { type: 'tool_result', tool_use_id: 't2', is_error: true },
        { type: 'text', text: 'go on' },
      ],
    });
  });

  it('leaves the stored history untouched', () => {
    const history = [user('q1')];
    continueConversation(history, 'q2');
    expect(history).toEqual([user('q1')]);
  });
});
