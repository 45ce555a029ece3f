/**
 * Measuring ours against a floor in the same run: the two alternate run by run (ours, floor,
 * floor, ours, ours, floor, …), so that whatever else the machine does drifts over both alike.
 */

/**
 * Run `measure(side, i)` `runs` times for each side of `sides` (e.g. ['ours', 'floor']),
 * alternating which goes first. Resolves with `{ [side]: results[] }`.
 */
export async function alternate(sides, runs, measure) {
  const results = Object.fromEntries(sides.map((s) => [s, []]));
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) results[side].push(await measure(side, i));
  }
  return results;
}
