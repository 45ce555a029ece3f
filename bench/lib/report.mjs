/**
 * One line per figure, the same shape in every benchmark:
 *   <bench> | <figure> | <value> | target <target> | ok / MISS / info
 * With BENCH_RESULTS=<file>, each figure is also appended to that file as a JSON line, which
 * run-all.mjs reads back for its summary.
 */
import { appendFileSync } from 'node:fs';

function format(value, unit) {
  if (typeof value !== 'number') return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/**
 * Print a figure. `max` (a number in `unit`) makes it a target: ok when value ≤ max.
 * `detail` is a short free text (sample count, spread).
 */
export function report(bench, figure, { value, unit = '', max, detail = '' }) {
  const verdict = max === undefined ? 'info' : value <= max ? 'ok' : 'MISS';
  const target = max === undefined ? '' : `target ≤ ${format(max, unit)}`;
  const line = [bench, figure, format(value, unit) + (detail ? ` (${detail})` : ''), target, verdict].join(' | ');
  process.stdout.write(`${line}\n`);
  if (process.env.BENCH_RESULTS) {
    appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify({ bench, figure, value, unit, max, verdict, detail })}\n`);
  }
}

/**
 * Print a figure as ours, the floor's and their ratio:
 *   <bench> | <figure> | ours X | floor Y | ratio R | goal ≤ G | ok / MISS
 * `maxRatio` is the goal on the ratio; `maxValue` (in `unit`) an extra goal on ours alone.
 */
export function reportRatio(bench, figure, { ours, floor, unit = '', maxRatio, maxValue, detail = '' }) {
  const ratio = ours / floor;
  const okRatio = maxRatio === undefined || ratio <= maxRatio;
  const okValue = maxValue === undefined || ours <= maxValue;
  const verdict = maxRatio === undefined && maxValue === undefined ? 'info' : okRatio && okValue ? 'ok' : 'MISS';
  const goals = [maxRatio !== undefined ? `≤ ${maxRatio}×` : '', maxValue !== undefined ? `ours ≤ ${format(maxValue, unit)}` : ''].filter(Boolean).join(', ');
  const value = `ours ${format(ours, unit)} | floor ${format(floor, unit)} | ratio ${ratio.toFixed(2)}×${detail ? ` (${detail})` : ''}`;
  process.stdout.write(`${[bench, figure, value, goals ? `goal ${goals}` : '', verdict].join(' | ')}\n`);
  if (process.env.BENCH_RESULTS) {
    appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify({ bench, figure, ours, floor, ratio, unit, maxRatio, maxValue, verdict, detail })}\n`);
  }
}

/** Print a line saying a benchmark (or a part of it) did not run, and why. */
export function skipped(bench, figure, why) {
  process.stdout.write(`${[bench, figure, `skipped: ${why}`, '', 'skipped'].join(' | ')}\n`);
  if (process.env.BENCH_RESULTS) {
    appendFileSync(process.env.BENCH_RESULTS, `${JSON.stringify({ bench, figure, verdict: 'skipped', detail: why })}\n`);
  }
}

/** `{ median, p99, n, min, max }` as the detail text. */
export function spread(s) {
  return `n=${s.n}, min ${format(s.min)}, p99 ${format(s.p99)}, max ${format(s.max)}`;
}
