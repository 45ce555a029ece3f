import { describe, expect, it } from 'vitest';
import { CHAIN_META_KEY, chainMeta, checkChain, readChainFromMeta } from './chain.js';

const link = (agent: string): { agent: string; run_id: string } => ({ agent, run_id: `run-${agent}` });

describe('checkChain', () => {
  it('lets a run start when the chain is short and the agent is not on it', () => {
    expect(checkChain([], 'a', 3)).toBeUndefined();
    expect(checkChain([link('a'), link('b')], 'c', 3)).toBeUndefined();
  });

  it('refuses an agent already on the chain, naming the loop', () => {
    const refusal = checkChain([link('a'), link('b')], 'a', 10);
    expect(refusal?.kind).toBe('cycle');
    expect(refusal?.message).toContain('a → b → a');
    expect(refusal?.advice).toMatch(/yourself/);
  });

  it('refuses a run that would make the chain longer than the limit', () => {
    const refusal = checkChain([link('a'), link('b'), link('c')], 'd', 3);
    expect(refusal?.kind).toBe('depth_limit');
    expect(refusal?.message).toContain('4 deep');
    expect(refusal?.message).toContain('the limit is 3 (--max-depth)');
  });
});

describe('readChainFromMeta / chainMeta', () => {
  it('reads what chainMeta writes, and an absent key as an empty chain', () => {
    const chain = [link('a'), link('b')];
    expect(readChainFromMeta(chainMeta(chain))).toEqual({ ok: true, chain });
    expect(readChainFromMeta(undefined)).toEqual({ ok: true, chain: [] });
    expect(readChainFromMeta({ progressToken: 1 })).toEqual({ ok: true, chain: [] });
  });

  it('reports a malformed chain with the key and what was expected', () => {
    const bad = readChainFromMeta({ [CHAIN_META_KEY]: [{ agent: 7 }] });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/io\.agents-mcp\/chain.*at 0\.agent.*expected an array of \{"agent", "run_id"\}/);
    expect(readChainFromMeta({ [CHAIN_META_KEY]: 'a,b' }).ok).toBe(false);
    expect(readChainFromMeta({ [CHAIN_META_KEY]: Array.from({ length: 65 }, (_, i) => link(`x${i}`)) }).ok).toBe(false);
  });
});
