import { describe, expect, it } from 'vitest';
import { makeAgent } from '../../test/helpers/agent.js';
import { findAgent } from './find-agent.js';

const backend = makeAgent('Backend Engineer', { toolName: 'backend-engineer' });
const docs = makeAgent('docs.writer', { toolName: 'docs_writer' });
const agents = [backend, docs];

describe('findAgent', () => {
  it('finds an agent by its tool name or its name as written', () => {
    expect(findAgent(agents, 'backend-engineer')).toBe(backend);
    expect(findAgent(agents, 'Backend Engineer')).toBe(backend);
    expect(findAgent(agents, 'docs.writer')).toBe(docs);
  });

  it('finds an agent by any spelling that makes its tool name (case, spaces, dots)', () => {
    expect(findAgent(agents, 'backend engineer')).toBe(backend);
    expect(findAgent(agents, 'BACKEND-ENGINEER')).toBe(backend);
    expect(findAgent(agents, 'Docs.Writer')).toBe(docs);
  });

  it('finds nothing for a name that makes no agent tool name', () => {
    expect(findAgent(agents, 'frontend-engineer')).toBeUndefined();
    expect(findAgent(agents, '')).toBeUndefined();
    expect(findAgent(agents, '日本')).toBeUndefined();
    expect(findAgent([], 'backend-engineer')).toBeUndefined();
  });
});
