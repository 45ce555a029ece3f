/**
 * Checking and counting what the loader made of hostile files: every result must be a
 * well-formed agent or a skip with a reason, and bounded in size; the counts go to
 * docs/reliability.md.
 */
import { expect } from 'vitest';
import type { LoadResult } from '../../src/agents/definition.js';
import { TOOL_NAME_PATTERN } from '../../src/agents/tool-name.js';

/**
 * True when walking `value` as JSON would (every value, string and key) costs more than
 * `budget`; stops at the budget, so an alias graph cannot make it slow. Written apart from the
 * loader's own check on purpose: this one judges the loader's output.
 */
export function isLargerThan(value: unknown, budget: number): boolean {
  let spent = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && spent <= budget) {
    const item = stack.pop();
    if (typeof item === 'string') spent += item.length;
    else if (Array.isArray(item)) {
      spent += 1;
      for (const child of item) stack.push(child);
    } else if (typeof item === 'object' && item !== null) {
      spent += 1;
      for (const [key, child] of Object.entries(item)) {
        spent += key.length;
        stack.push(child);
      }
    } else spent += 1;
  }
  return spent > budget;
}

/** Assert that `result` is what the loader promises for `source` read from `file`. */
export function expectWellFormed(result: LoadResult, file: string, source: string): void {
  // The result holds the source (twice at most: verbatim and as the prompt) and a little more;
  // an alias graph in `extra` would make it exponentially larger.
  expect(isLargerThan(result, 4 * source.length + 100_000), 'result is far larger than its source').toBe(false);
  if (result.kind === 'skipped') {
    expect(result.file).toBe(file);
    expect(typeof result.reason).toBe('string');
    expect(result.reason.trim().length).toBeGreaterThan(0);
    expect(typeof result.broken).toBe('boolean');
    if (result.line !== undefined) expect(Number.isInteger(result.line) && result.line >= 1).toBe(true);
    return;
  }
  expect(result.kind).toBe('agent');
  const { agent } = result;
  expect(agent.file).toBe(file);
  expect(agent.source).toBe(source);
  expect(agent.name.trim()).not.toBe('');
  expect(agent.toolName).toMatch(TOOL_NAME_PATTERN);
  expect(agent.description.trim()).not.toBe('');
  expect(typeof agent.prompt).toBe('string');
  expect(typeof agent.model).toBe('string');
  expect(agent.model).not.toBe('');
  if (agent.tools !== undefined) expect(agent.tools.every((t) => typeof t === 'string' && t !== '')).toBe(true);
  expect(agent.disallowedTools.every((t) => typeof t === 'string')).toBe(true);
  for (const w of agent.warnings) expect(w.reason.trim().length).toBeGreaterThan(0);
  expect(() => JSON.stringify(agent)).not.toThrow();
}

/** Counts of outcomes, with skip reasons grouped by their wording. */
export class OutcomeTally {
  total = 0;
  served = 0;
  servedWithWarnings = 0;
  skippedBroken = 0;
  skippedNotAgent = 0;
  readonly reasons = new Map<string, number>();

  add(result: LoadResult): void {
    this.total++;
    if (result.kind === 'agent') {
      this.served++;
      if (result.agent.warnings.length > 0) this.servedWithWarnings++;
      return;
    }
    if (result.broken) this.skippedBroken++;
    else this.skippedNotAgent++;
    const group = groupReason(result.reason);
    this.reasons.set(group, (this.reasons.get(group) ?? 0) + 1);
  }

  /** A few lines for the test log and docs/reliability.md. */
  summary(title: string, topReasons = 12): string {
    const skipped = this.skippedBroken + this.skippedNotAgent;
    const lines = [
      `${title}: ${this.total} files; served ${this.served} (${this.servedWithWarnings} with warnings); skipped ${skipped} (${this.skippedBroken} broken, ${this.skippedNotAgent} not agents)`,
      ...[...this.reasons.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, topReasons)
        .map(([reason, n]) => `  ${String(n).padStart(6)}  ${reason}`),
    ];
    return lines.join('\n');
  }
}

/** A skip reason with its particulars (names, numbers, YAML details) taken out. */
export function groupReason(reason: string): string {
  return reason
    .replace(/\(.*\)/g, '(…)')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, 'N')
    .slice(0, 100);
}
