/**
 * What `agents-mcp run` shows while a sub-agent works: each turn, each tool call with a
 * one-line summary and its outcome, the streamed text, and a summary at the end. A spinner
 * runs on stderr while the model thinks, on a terminal only.
 */
import type { Writable } from 'node:stream';
import pc from 'picocolors';
import yoctoSpinner, { type Spinner } from 'yocto-spinner';
import type { CallEvent } from '../run/call-context.js';
import type { RunResult } from '../run/result.js';
import { summarizeToolCall } from '../run/tool-input-summary.js';
import { describeTodos } from '../server/step-summary.js';

type Colors = ReturnType<typeof pc.createColors>;

export interface RunRendererOptions {
  out: Writable;
  /** Where the spinner goes; only used when `interactive`. */
  err: Writable;
  /** Colours on (follows the terminal and NO_COLOR unless forced). */
  color: boolean;
  /** Show a spinner while the model thinks (a TTY on stderr). */
  interactive: boolean;
}

export interface RunRenderer {
  /** `warnings`: how many warnings the agent's file has (told once, with where to read them). */
  header(agent: string, model: string, warnings?: number): void;
  onEvent(event: CallEvent): void;
  /** `modelNote`: how the model was chosen, when the command line chose it. */
  summary(result: RunResult, modelNote?: string): void;
  /** Stop the spinner (on exit paths that skip the summary). */
  stop(): void;
}

/** One line: stop reason, turns, tokens, cost, duration, run id; the model first when `modelNote` says the command line chose it. */
export function formatSummary(result: RunResult, c: Colors = pc.createColors(false), modelNote?: string): string {
  const u = result.usage;
  const tokens = `${u.input_tokens} in / ${u.output_tokens} out tokens (cache: ${u.cache_read_input_tokens} read, ${u.cache_creation_input_tokens} written)`;
  const stop = result.stopReason === 'end_turn' ? c.green(result.stopReason) : c.yellow(result.stopReason);
  const cost = result.costUsd === null ? 'cost unknown' : `$${result.costUsd.toFixed(4)}`;
  const parts = [...(modelNote ? [`${result.model} ${modelNote}`] : []), stop, `${result.turns} turn${result.turns === 1 ? '' : 's'}`, tokens, cost, `${(result.durationMs / 1000).toFixed(1)} s`, `run ${result.runId}`];
  return parts.join(c.dim(' · '));
}

/** Create a renderer writing to `out`. */
export function createRunRenderer(options: RunRendererOptions): RunRenderer {
  const c = pc.createColors(options.color);
  const { out } = options;
  let spinner: Spinner | undefined;
  // Whether the cursor is at the start of a line: streamed text may end mid-line.
  let atLineStart = true;
  const write = (text: string): void => {
    if (text === '') return;
    out.write(text);
    atLineStart = text.endsWith('\n');
  };
  const line = (text: string): void => {
    stopSpinner();
    write(`${atLineStart ? '' : '\n'}${text}\n`);
  };
  const stopSpinner = (): void => {
    spinner?.stop();
    spinner = undefined;
  };
  const startSpinner = (text: string): void => {
    if (!options.interactive) return;
    stopSpinner();
    spinner = yoctoSpinner({ text, stream: options.err }).start();
  };

  return {
    header(agent, model, warnings = 0) {
      line(`${c.bold(agent)} ${c.dim(`· ${model}`)}`);
      if (warnings > 0) line(c.yellow(`  ${warnings} warning${warnings === 1 ? '' : 's'} about this agent's file (agents-mcp validate shows them)`));
    },
    onEvent(event) {
      switch (event.type) {
        case 'turn_start':
          line(c.dim(`── turn ${event.turn}`));
          startSpinner('thinking…');
          break;
        case 'text':
          stopSpinner();
          write(event.text);
          break;
        case 'tool_start':
          line(`${c.cyan('  →')} ${summarizeToolCall(event.name, event.input, event.workspace)}`);
          startSpinner(`${event.name}…`);
          break;
        case 'todos':
          line(c.dim(`  ${describeTodos(event.todos)}`));
          break;
        case 'tool_progress':
          break;
        case 'tool_end':
          line(event.isError ? `${c.red('  ✗')} ${event.name} ${c.red('failed')}` : `${c.green('  ✓')} ${event.name}`);
          break;
      }
    },
    summary(result, modelNote) {
      if (result.error) line(c.red(`${result.error.message}\n${result.error.advice}`));
      for (const w of result.warnings) line(c.yellow(`warning: ${w}`));
      line('');
      line(formatSummary(result, c, modelNote));
    },
    stop: stopSpinner,
  };
}
