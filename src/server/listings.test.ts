import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../agents/catalog.js';
import { parseAgentText } from '../agents/parse-agent.js';
import { buildListings, serializedToolsAnswer } from './listings.js';

function catalogOf(names: string[]) {
  return buildCatalog(
    names.map((name, i) => {
      const result = parseAgentText(`/agents/${name}.md`, `---\nname: ${name}\ndescription: The "${name}" agent — ünïcode too.\n---\nYou are ${name}.\n`);
      if (result.kind !== 'agent') throw new Error(`fixture ${name} did not parse: ${result.reason}`);
      return { file: `/agents/${name}.md`, dirIndex: 0, relPath: `${name}.md`, result };
    }),
  );
}

const options = { toolDescriptions: 'compact' } as const;

describe('serializedToolsAnswer', () => {
  it('writes the same JSON-RPC answer the SDK would, as one line', () => {
    const listings = buildListings(catalogOf(['alpha', 'beta']), options);
    const result = { tools: listings.tools };
    for (const id of [7, 'req-"8"']) {
      const line = Buffer.concat(serializedToolsAnswer(id, result) ?? []).toString('utf8');
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(JSON.parse(line)).toEqual({ jsonrpc: '2.0', id, result: JSON.parse(JSON.stringify(result)) });
    }
  });

  it('serves a rebuilt listing, not the cached JSON of the previous one', () => {
    const before = buildListings(catalogOf(['alpha']), options);
    serializedToolsAnswer(1, { tools: before.tools });
    const after = buildListings(catalogOf(['alpha', 'gamma']), options);
    const line = Buffer.concat(serializedToolsAnswer(2, { tools: after.tools }) ?? []).toString('utf8');
    expect((JSON.parse(line) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name)).toEqual(['alpha', 'gamma']);
  });

  it('serializes the result\'s other fields (2026 cache hints, _meta) beside the cached tools', () => {
    const listings = buildListings(catalogOf(['alpha']), options);
    const result = { tools: listings.tools, ttlMs: 10_000, cacheScope: 'public', _meta: { note: 'x"y' } };
    const line = Buffer.concat(serializedToolsAnswer(3, result) ?? []).toString('utf8');
    expect(JSON.parse(line)).toEqual({ jsonrpc: '2.0', id: 3, result: JSON.parse(JSON.stringify(result)) });
  });

  it('leaves every other result to the SDK', () => {
    const listings = buildListings(catalogOf(['alpha']), options);
    expect(serializedToolsAnswer(1, { tools: [...listings.tools] })).toBeUndefined();
    expect(serializedToolsAnswer(1, { resources: listings.resources })).toBeUndefined();
    expect(serializedToolsAnswer(1, null)).toBeUndefined();
  });
});
