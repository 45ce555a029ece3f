import { describe, expect, it } from 'vitest';
import type { ModelMessage } from './model.js';
import { continueConversation, planResume } from './resume.js';

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

describe('planResume', () => {
  const thinkingTurn: ModelMessage = { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'a1' }] };
  const prefix = { system: 'You are old.', tools: [], serverTools: [{ type: 'web_search_20250305', name: 'web_search' }] };

  it('keeps the stored prefix and the thinking blocks when the agent may still use its server tools', () => {
    const plan = planResume({ messages: [user('q1'), thinkingTurn], prefix }, [{ type: 'web_search_20250305', name: 'web_search' }]);
    expect(plan).toEqual({ history: [user('q1'), thinkingTurn], prefix, warnings: [] });
  });

  it('drops the stored prefix and the thinking blocks when a server tool it offers was withdrawn', () => {
    const plan = planResume({ messages: [user('q1'), thinkingTurn], prefix }, []);
    expect(plan.prefix).toBeUndefined();
    expect(plan.history[1]).toEqual(assistant('a1'));
    expect(plan.warnings[0]).toContain('may no longer use web_search');
  });

  it('drops the stored prefix when a server tool it offers was widened since (an edited record)', () => {
    const widened = { ...prefix, serverTools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 999 }] };
    expect(planResume({ messages: [user('q1'), thinkingTurn], prefix: widened }, [{ type: 'web_search_20250305', name: 'web_search' }]).prefix).toBeUndefined();
  });

  it('removes the refused last turn', () => {
    const plan = planResume({ messages: [user('q1'), assistant('no')], prefix: { ...prefix, serverTools: [] }, stopReason: 'refusal' }, []);
    expect(plan.history).toEqual([user('q1')]);
    expect(plan.warnings[0]).toContain('refused turn was removed');
  });

  it('says nothing when a run without a stored prefix had no thinking to drop', () => {
    expect(planResume({ messages: [user('q1'), assistant('a1')] }, [])).toEqual({ history: [user('q1'), assistant('a1')], warnings: [] });
  });
});
