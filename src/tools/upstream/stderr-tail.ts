/** The end of what an upstream server's processes wrote to stderr, kept for error reports. */

/** How much of a child's stderr is kept for error reports, in characters. */
export const STDERR_TAIL_CHARS = 4096;

/** The last {@link STDERR_TAIL_CHARS} characters the server's processes wrote to stderr. */
export interface StderrTail {
  append(chunk: string): void;
  text(): string;
}

/** Create an empty {@link StderrTail}. */
export function createStderrTail(): StderrTail {
  let tail = '';
  return {
    append(chunk) {
      const next = tail + chunk;
      tail = next.length > STDERR_TAIL_CHARS ? next.slice(next.length - STDERR_TAIL_CHARS) : next;
    },
    text: () => tail,
  };
}
