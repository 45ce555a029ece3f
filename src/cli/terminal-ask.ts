/**
 * Permission questions in the terminal: what an MCP client shows as an elicitation form,
 * `agents-mcp run` asks as a y/a/N prompt. Only on a terminal; without one the run gets the
 * same refusal a client that cannot ask gets.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import pc from 'picocolors';
import type { ApprovalQuestion, AskUser, UserAnswer } from '../tools/permissions/permission.js';
import { formatApprovalMessage } from '../server/ask-user.js';

/** A unified diff with removed lines red, added lines green and hunk headers cyan. */
export function colorDiff(diff: string, c = pc.createColors(true)): string {
  return diff
    .split('\n')
    .map((line) => (line.startsWith('@@') ? c.cyan(line) : line.startsWith('+') ? c.green(line) : line.startsWith('-') ? c.red(line) : line.startsWith('… ') ? c.dim(line) : line))
    .join('\n');
}

/** The question as the terminal shows it: the edit's diff coloured when `color` is on. */
export function formatTerminalQuestion(question: ApprovalQuestion, color: boolean): string {
  const { request } = question;
  if (!color || request.kind !== 'edit' || request.preview === undefined) return formatApprovalMessage(question);
  return formatApprovalMessage({ ...question, request: { ...request, preview: colorDiff(request.preview) } });
}

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
export function createTerminalAskUser(io: { input: Readable; output: Writable; beforeAsk?: () => void; color?: boolean }): AskUser {
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
    const next = queue.then(() => ask(formatTerminalQuestion(question, io.color === true), signal));
    queue = next.catch(() => undefined);
    return next;
  };
}
