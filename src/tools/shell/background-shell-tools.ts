/**
 * BashOutput and TaskStop: reading and stopping the background shells of a run (Bash with
 * `run_in_background`). Agent files that list KillBash or KillShell get TaskStop (the agent loader
 * maps those legacy names). Both act only on shells this run started, so they ask no permission of
 * their own: starting the shell was the approved step.
 */
import { z } from 'zod';
import { BASH_SESSION, describeShellStatus, type BackgroundShell, type BashSession } from './bash-session.js';
import { defineTool } from '../define-tool.js';
import { requireScope } from '../run-scope.js';
import type { LocalTool, ToolContext, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';

const bashOutputInputSchema = z.object({
  bash_id: z.string().min(1).max(100).describe('The ID of the background shell to retrieve output from'),
  filter: z
    .string()
    .max(1000)
    .optional()
    .describe('Optional regular expression to filter the output lines. Only lines matching this regex are included; the others are discarded and cannot be read later.'),
});

const taskStopInputSchema = z.object({
  task_id: z.string().min(1).max(100).optional().describe('The ID of the background task (shell) to stop'),
  shell_id: z.string().min(1).max(100).optional().describe('Deprecated: use task_id'),
});

function findShell(session: BashSession, id: string): BackgroundShell | undefined {
  return session.shells.get(id);
}

function unknownShell(tool: string, session: BashSession, id: string): ToolResult {
  const known = [...session.shells.keys()];
  return textResult(`${tool}: no background shell "${id}" in this task. ${known.length ? `Shells: ${known.join(', ')}.` : 'None was started.'}`, true);
}

function sessionOf(ctx: ToolContext, tool: string): BashSession {
  return requireScope(ctx, tool).get(BASH_SESSION);
}

/** Create BashOutput: the output a background shell produced since the last read. */
export function createBashOutputTool(): LocalTool {
  return defineTool({
    name: 'BashOutput',
    description:
      'Retrieves output from a running or completed background bash shell: only the output produced since the last read, with the shell status. Use the optional filter (a regular expression) to keep only matching lines.',
    schema: bashOutputInputSchema,
    kind: 'execute',
    async execute(input, ctx) {
      const session = sessionOf(ctx, 'BashOutput');
      const shell = findShell(session, input.bash_id);
      if (!shell) return unknownShell('BashOutput', session, input.bash_id);
      let filter: RegExp | undefined;
      if (input.filter !== undefined) {
        try {
          filter = new RegExp(input.filter);
        } catch (err) {
          return textResult(`BashOutput: filter is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`, true);
        }
      }
      const { text, dropped } = shell.output.take();
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      const kept = filter ? lines.filter((line) => filter.test(line)) : lines;
      const parts = [`<status>${describeShellStatus(shell)}</status>`];
      if (dropped > 0) parts.push(`[${dropped} earlier characters were dropped: the shell printed faster than its output was read]`);
      parts.push(kept.length > 0 ? `<output>\n${kept.join('\n')}\n</output>` : '<output>(no new output)</output>');
      return textResult(parts.join('\n'));
    },
  });
}

/** Create TaskStop (Claude Code's KillShell/KillBash): kill a background shell and everything it started. */
export function createTaskStopTool(): LocalTool {
  return defineTool({
    name: 'TaskStop',
    description: 'Stops a running background shell by its ID (task_id), killing every process it started.',
    schema: taskStopInputSchema,
    kind: 'execute',
    async execute(input, ctx) {
      const id = input.task_id ?? input.shell_id;
      if (id === undefined) return textResult('TaskStop: give task_id, the ID Bash returned for the background shell.', true);
      const session = sessionOf(ctx, 'TaskStop');
      const shell = findShell(session, id);
      if (!shell) return unknownShell('TaskStop', session, id);
      if (shell.exit !== undefined) return textResult(`TaskStop: shell ${id} is not running (${describeShellStatus(shell)}).`, true);
      shell.killed = true;
      shell.process.kill();
      await shell.process.finished.catch(() => undefined);
      return textResult(`Successfully killed shell: ${id} (${shell.command})`);
    },
  });
}
