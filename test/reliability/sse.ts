/**
 * Raw SSE bodies for model-fault tests: a scripted reply's real event sequence, reordered,
 * cut or extended with events the SDK does not know.
 */
import { encodeSseFrame, renderReply, type SseFrame } from '../fake-anthropic/wire.js';
import type { ReplyStep } from '../fake-anthropic/steps.js';

/** The SSE frames the fake would send for `step` (ids fixed, so bodies are stable). */
export function framesOf(step: ReplyStep): SseFrame[] {
  let toolIds = 0;
  return renderReply(step, { messageId: 'msg_raw', model: 'claude-sonnet-5-5', requestBytes: 100, nextToolUseId: () => `toolu_raw_${++toolIds}` }).frames;
}

/** Frames as the wire text. */
export function encodeFrames(frames: readonly SseFrame[]): string {
  return frames.map(encodeSseFrame).join('');
}

/** Move the frame at `from` to `to` (an event out of order). */
export function moveFrame(frames: readonly SseFrame[], from: number, to: number): SseFrame[] {
  const out = [...frames];
  const [frame] = out.splice(from, 1);
  if (frame === undefined) throw new Error(`no frame ${from}`);
  out.splice(to, 0, frame);
  return out;
}

/**
 * `frames` with a content block of a type the SDK does not know inserted first (index 0), and
 * the other blocks' indexes shifted by one.
 */
export function withUnknownBlock(frames: readonly SseFrame[]): SseFrame[] {
  const shifted = frames.map((frame) => {
    const data = frame.data as { index?: number };
    return typeof data.index === 'number' ? { ...frame, data: { ...data, index: data.index + 1 } } : frame;
  });
  const unknown: SseFrame[] = [
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'hologram', shape: 'cube' } } },
    { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'hologram_delta', spin: 1 } } },
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
  ];
  // After message_start and ping.
  return [...shifted.slice(0, 2), ...unknown, ...shifted.slice(2)];
}
