import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyAgent } from './agent-body.js';
import { loadAgentFile } from './load-file.js';
import type { AgentDefinition } from './definition.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'agents-body-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, text: string): Promise<{ file: string; agent: AgentDefinition }> {
  const file = path.join(dir, `${name}.md`);
  await writeFile(file, text);
  const result = await loadAgentFile(file);
  if (result.kind !== 'agent') throw new Error(`not an agent: ${result.reason}`);
  return { file, agent: result.agent };
}

describe('agent body on first use', () => {
  it('gives the prompt and the verbatim source a full parse gives', async () => {
    const text = '\uFEFF---\r\nname: a\r\ndescription: d\r\n---\r\n\\# Role\r\nYou help.\r\n';
    const { agent } = await load('a', text);
    expect(agent.prompt).toBe('# Role\nYou help.');
    expect(agent.source).toBe(text);
  });

  it('reads the body when first used, not when loaded', async () => {
    const { file, agent } = await load('b', '---\nname: b\ndescription: d\n---\nOld body.\n');
    await writeFile(file, '---\nname: b\ndescription: d\n---\nNew body.\n');
    expect(agent.prompt).toBe('New body.');
    // Read once, then kept.
    await writeFile(file, '---\nname: b\ndescription: d\n---\nNewer body.\n');
    expect(agent.prompt).toBe('New body.');
  });

  it('keeps the body below a front matter that an edit broke', async () => {
    const { file, agent } = await load('c', '---\nname: c\ndescription: d\n---\nThe prompt.\n');
    await writeFile(file, '---\nname: c\ndescription: [unclosed\n---\nThe prompt.\n');
    expect(agent.prompt).toBe('The prompt.');
  });

  it('says which file could not be read when it is gone on first use', async () => {
    const { file, agent } = await load('d', '---\nname: d\ndescription: d\n---\nGone soon.\n');
    await rm(file);
    expect(() => agent.prompt).toThrow(file);
  });

  it('copyAgent changes fields and leaves the body unread', async () => {
    const { file, agent } = await load('e', '---\nname: e\ndescription: d\n---\nFirst.\n');
    const copy = copyAgent(agent, { warnings: [{ file, reason: 'x' }] });
    await writeFile(file, '---\nname: e\ndescription: d\n---\nLater.\n');
    expect(copy).toMatchObject({ prompt: 'Later.', warnings: [{ file, reason: 'x' }] });
    expect(agent.warnings).toEqual([]);
  });
});
