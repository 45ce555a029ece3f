/**
 * Permission questions in the terminal: what an MCP client shows as an elicitation form,
 * `agents-mcp run` asks as a y/a/N prompt. Only on a terminal; without one the run gets the
 * same refusal a client that cannot ask gets.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { AskUser, UserAnswer } from '../tools/permission.js';
import { formatApprovalMessage } from '../server/ask-user.js';

/** Map what was typed to an answer: y/yes, a/all, anything else declines (the safe default). */
export function parseTerminalAnswer(typed: string): UserAnswer {
  const t = typed.trim().toLowerCase();
  if (t === 'y' || t === 'yes') return { answer: 'approve' };
  if (t === 'a' || t === 'all') return { answer: 'approve_for_run' };
  return { answer: 'decline', reason: 'declined by the user' };
}

/**
 * An AskUser that prompts on `output` and reads one line from `input`. Questions are asked one
 * at a time (the loop may run tools concurrently); a cancelled run withdraws its question.
 */
export function createTerminalAskUser(io: { input: Readable; output: Writable; beforeAsk?: () => void }): AskUser {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = async (message: string, signal: AbortSignal): Promise<UserAnswer> => {
    if (signal.aborted) return { answer: 'decline', reason: 'the run was cancelled' };
    io.beforeAsk?.();
    const rl = createInterface({ input: io.input, output: io.output, terminal: false });
    try {
      io.output.write(`\n${message}\n`);
      const typed = await rl.question('Allow? [y]es, [a]ll like this for this run, [N]o: ', { signal });
      return parseTerminalAnswer(typed);
    } catch {
      return { answer: 'decline', reason: signal.aborted ? 'the run was cancelled' : 'no answer from the terminal' };
    } finally {
      rl.close();
    }
  };
  return (question, signal) => {
    const next = queue.then(() => ask(formatApprovalMessage(question), signal));
    queue = next.catch(() => undefined);
    return next;
  };
}
