/**
 * A run's events → progress updates: one per step (queued, started, turn, tool call, tool
 * result), streamed text throttled to one update per {@link DEFAULT_TEXT_THROTTLE_MS}, and a
 * heartbeat when nothing else was sent for {@link DEFAULT_HEARTBEAT_MS}, so that a client that
 * resets its timeout on progress never gives up on a long, quiet model turn or tool.
 * `close()` stops every timer; nothing is sent after it.
 */
import type { CallEvent } from '../run/call-context.js';
import { describeStep, writingLine } from './step-summary.js';

/** The fewest milliseconds between two "writing" updates. */
export const DEFAULT_TEXT_THROTTLE_MS = 250;
/** The most milliseconds without an update while a run is under way. */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** One progress update; `progress` grows by one with each. */
export interface ProgressUpdate {
  progress: number;
  message: string;
}

export interface ProgressReporterOptions {
  /** Deliver an update (fire and forget: a failed send must not disturb the run). */
  send: (update: ProgressUpdate) => void;
  throttleMs?: number;
  heartbeatMs?: number;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
}

/** See {@link createProgressReporter}. */
export interface ProgressReporter {
  onEvent(event: CallEvent): void;
  /** Stop: clear the timers; later events are ignored. Safe to call twice. */
  close(): void;
}

/** Start reporting; the heartbeat runs from now until {@link ProgressReporter.close}. */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const throttleMs = options.throttleMs ?? DEFAULT_TEXT_THROTTLE_MS;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const now = options.now ?? Date.now;
  const startedAt = now();
  let progress = 0;
  let closed = false;
  let lastLine = 'starting';
  let turn = 0;
  let chars = 0;
  let lastTextAt = Number.NEGATIVE_INFINITY;
  let textTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setTimeout> | undefined;

  function send(message: string): void {
    if (closed) return;
    progress++;
    options.send({ progress, message });
    armHeartbeat();
  }

  function armHeartbeat(): void {
    clearTimeout(heartbeat);
    heartbeat = setTimeout(() => {
      const seconds = Math.round((now() - startedAt) / 1000);
      send(`${lastLine} (still working, ${seconds} s)`);
    }, heartbeatMs);
  }

  function step(message: string): void {
    lastLine = message;
    send(message);
  }

  function flushText(): void {
    textTimer = undefined;
    lastTextAt = now();
    step(writingLine(turn, chars));
  }

  armHeartbeat();
  return {
    onEvent(event) {
      if (closed) return;
      if (event.type === 'text') {
        chars += event.text.length;
        const wait = lastTextAt + throttleMs - now();
        if (wait <= 0) flushText();
        else textTimer ??= setTimeout(flushText, wait);
        return;
      }
      // A step makes a pending "writing" line stale.
      clearTimeout(textTimer);
      textTimer = undefined;
      if (event.type === 'turn_start') {
        // A new turn's first words are news: they go out at once.
        turn = event.turn;
        chars = 0;
        lastTextAt = Number.NEGATIVE_INFINITY;
      }
      const line = describeStep(event);
      if (line) step(line);
    },
    close() {
      closed = true;
      clearTimeout(textTimer);
      clearTimeout(heartbeat);
    },
  };
}
