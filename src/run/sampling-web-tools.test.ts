import { describe, expect, it } from 'vitest';
import { agentFromText } from '../../test/helpers/agents.js';
import { buildCatalog } from '../agents/catalog.js';
import { findSamplingWebToolProblem, withSamplingWebToolWarnings } from './sampling-web-tools.js';

describe('web tools on the sampling backend, as validate reports them', () => {
  it('warns about an agent that lists WebSearch or WebFetch, naming them', () => {
    const problem = findSamplingWebToolProblem(agentFromText('name: web\ndescription: Browses.\ntools: Read, WebSearch, WebFetch'));
    expect(problem?.reason).toContain("WebSearch, WebFetch run on the Anthropic API's side");
    expect(problem?.reason).toContain('runs without them');
  });

  it('says nothing of an agent without web tools, or one that inherits every tool', () => {
    expect(findSamplingWebToolProblem(agentFromText('name: files\ndescription: Reads.\ntools: Read'))).toBeUndefined();
    expect(findSamplingWebToolProblem(agentFromText('name: all\ndescription: Everything.'))).toBeUndefined();
  });

  it('adds the warning to the catalog and its count', () => {
    const agent = agentFromText('name: web\ndescription: Browses.\ntools: WebSearch');
    const catalog = buildCatalog([{ file: agent.file, dirIndex: 0, relPath: 'web.md', result: { kind: 'agent', agent } }]);
    const warned = withSamplingWebToolWarnings(catalog);
    expect(warned.agents[0]?.warnings.at(-1)?.code).toBe('unavailable-tool');
    expect(warned.warningCount).toBe(catalog.warningCount + 1);
  });
});
