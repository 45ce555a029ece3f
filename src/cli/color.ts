/** Whether to colour what goes to a stream: a terminal, unless NO_COLOR says no (FORCE_COLOR says yes). */

/** True for a TTY stream when NO_COLOR is unset and TERM is not `dumb`; FORCE_COLOR (not `0`) forces it. */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}
