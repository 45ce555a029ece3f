/**
 * Loader campaign, in process: 10,000 corpus files mutated by fast-check (fixed seed, so every
 * run tries the same files) and the named worst cases go through parseAgentText. None may
 * throw; each is served as a well-formed agent or skipped with a reason; no result is much
 * larger than its source (an alias bomb would be). The counts are printed for docs/reliability.md.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgentText } from '../../src/agents/parse-agent.js';
import { hostileFiles, mutatedFileArb, readCorpus } from './agent-file-mutations.js';
import { expectWellFormed, OutcomeTally } from './load-outcomes.js';

/** The seed of the campaign; change it to explore, keep it fixed to compare runs. */
export const LOADER_FUZZ_SEED = 20_260_901;
export const LOADER_FUZZ_RUNS = 10_000;

describe('loader fuzzing (in process)', () => {
  it(`serves or skips with a reason each of ${LOADER_FUZZ_RUNS} mutated corpus files, never throwing`, () => {
    const corpus = readCorpus();
    const tally = new OutcomeTally();
    const mutationCounts = new Map<string, number>();
    fc.assert(
      fc.property(mutatedFileArb(corpus), ({ rel, mutations, text }) => {
        const file = `/fuzz/${rel}`;
        const result = parseAgentText(file, text);
        expectWellFormed(result, file, text);
        tally.add(result);
        for (const m of mutations) mutationCounts.set(m.kind, (mutationCounts.get(m.kind) ?? 0) + 1);
      }),
      { seed: LOADER_FUZZ_SEED, numRuns: LOADER_FUZZ_RUNS },
    );
    console.info(tally.summary(`loader fuzz (seed ${LOADER_FUZZ_SEED})`));
    console.info(`mutations applied: ${[...mutationCounts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(tally.total).toBe(LOADER_FUZZ_RUNS);
    // The campaign must exercise both outcomes and every kind of mutation.
    expect(tally.served).toBeGreaterThan(LOADER_FUZZ_RUNS / 10);
    expect(tally.skippedBroken).toBeGreaterThan(LOADER_FUZZ_RUNS / 20);
    expect(mutationCounts.size).toBe(17);
    expect([...tally.reasons.keys()].some((r) => r.includes('YAML aliases'))).toBe(true);
  }, 120_000);

  it.each(hostileFiles().filter((h) => typeof h.text === 'string'))('$name: $expect', ({ name, text, expect: outcome }) => {
    const file = `/hostile/${name}`;
    const source = String(text);
    const result = parseAgentText(file, source);
    expectWellFormed(result, file, source);
    if (outcome === 'served') expect(result).toMatchObject({ kind: 'agent' });
    else expect(result).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(outcome) });
  });
});
