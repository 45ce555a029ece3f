/**
 * An upstream tools/call result → what the model gets. Text, images, embedded resources,
 * resource links and structuredContent all reach the model (as text where the Messages API has
 * no matching block), `isError` is kept, and very long results are capped with a note.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/client';
import type { ToolResult, ToolResultPart } from '../tool.js';
import { truncateOutput } from '../tool-output.js';

/** Cap on the text of one upstream result, in characters (~25k tokens, Claude Code's MCP output budget). */
export const MAX_UPSTREAM_RESULT_CHARS = 100_000;
/** Largest image passed on, as base64 characters: the Messages API's 5 MB per-image limit. */
export const MAX_IMAGE_BASE64_CHARS = 5 * 1024 * 1024;
/** Most images passed on from one result. */
export const MAX_IMAGES_PER_RESULT = 20;

/** Image types the Messages API accepts. */
const MODEL_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Options of {@link toModelToolResult}. */
export interface ResultContentOptions {
  maxChars?: number;
  /** The server's name, for hints such as "read it with ReadMcpResourceTool". */
  server?: string;
  /**
   * Leave structuredContent out: set for an upstream agents-mcp's run report, whose answer is the
   * text and whose usage goes to the delegation tree rather than into the model's context.
   */
  omitStructuredContent?: boolean;
}

function base64Bytes(data: string): number {
  return Math.floor((data.length * 3) / 4);
}

function imagePart(data: string, mimeType: string, label: string): ToolResultPart {
  if (!MODEL_IMAGE_TYPES.has(mimeType)) return { type: 'text', text: `[${label}: ${mimeType}, ${base64Bytes(data)} bytes; not shown, the model accepts only PNG, JPEG, GIF and WebP images]` };
  if (data.length > MAX_IMAGE_BASE64_CHARS) return { type: 'text', text: `[${label}: ${mimeType}, ${base64Bytes(data)} bytes; not shown, larger than the model's 5 MB image limit]` };
  return { type: 'image', source: { type: 'base64', media_type: mimeType, data } };
}

function convertBlock(block: ContentBlock, server: string | undefined): ToolResultPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return imagePart(block.data, block.mimeType, 'image');
    case 'audio':
      return { type: 'text', text: `[audio: ${block.mimeType}, ${base64Bytes(block.data)} bytes; not shown, the model cannot take audio]` };
    case 'resource_link': {
      const how = server ? ` (read it with ReadMcpResourceTool, server "${server}")` : '';
      const mime = block.mimeType ? `, ${block.mimeType}` : '';
      const description = block.description ? `: ${block.description}` : '';
      return { type: 'text', text: `[resource link: ${block.name} <${block.uri}>${mime}${how}]${description}` };
    }
    case 'resource': {
      const r = block.resource;
      const mime = r.mimeType ?? 'unknown type';
      if ('text' in r) return { type: 'text', text: `[resource <${r.uri}> ${mime}]\n${r.text}` };
      if (r.mimeType && r.mimeType.startsWith('image/')) return imagePart(r.blob, r.mimeType, `resource <${r.uri}>`);
      return { type: 'text', text: `[resource <${r.uri}> ${mime}: ${base64Bytes(r.blob)} bytes of binary data; not shown]` };
    }
    default: {
      // A content type newer than this SDK: say so rather than drop it silently.
      const type = (block as { type?: unknown }).type;
      return { type: 'text', text: `[content of type ${String(type)}: not shown]` };
    }
  }
}

/** True when some text part already carries `structured` as JSON (servers SHOULD send both). */
function hasJsonCopy(parts: readonly ToolResultPart[], structured: unknown): boolean {
  return parts.some((p) => {
    if (p.type !== 'text') return false;
    try {
      return isDeepStrictEqual(JSON.parse(p.text), structured);
    } catch {
      return false;
    }
  });
}

/** Cap text across parts and the number of images; the note says how much was cut. */
function capParts(parts: ToolResultPart[], maxChars: number): ToolResultPart[] {
  const out: ToolResultPart[] = [];
  let budget = maxChars;
  let droppedChars = 0;
  let images = 0;
  let droppedImages = 0;
  for (const part of parts) {
    if (part.type === 'image') {
      if (images < MAX_IMAGES_PER_RESULT) {
        images++;
        out.push(part);
      } else droppedImages++;
      continue;
    }
    if (budget <= 0) {
      droppedChars += part.text.length;
      continue;
    }
    const text = part.text.length > budget ? truncateOutput(part.text, budget) : part.text;
    budget -= Math.min(part.text.length, budget);
    out.push({ type: 'text', text });
  }
  const notes: string[] = [];
  if (droppedChars > 0) notes.push(`${droppedChars} more characters in further parts`);
  if (droppedImages > 0) notes.push(`${droppedImages} more image(s)`);
  if (notes.length > 0) out.push({ type: 'text', text: `…result truncated (${notes.join(', ')}); ask the tool for less, e.g. a narrower query or a page.` });
  return out;
}

/** Convert an upstream result for the model. */
export function toModelToolResult(result: CallToolResult, options: ResultContentOptions = {}): ToolResult {
  const parts = (result.content ?? []).map((block) => convertBlock(block, options.server));
  const structured = result.structuredContent;
  if (structured !== undefined && !options.omitStructuredContent && !hasJsonCopy(parts, structured)) {
    parts.push({ type: 'text', text: `structuredContent: ${JSON.stringify(structured)}` });
  }
  const content = capParts(parts, options.maxChars ?? MAX_UPSTREAM_RESULT_CHARS);
  return result.isError ? { content, isError: true } : { content };
}
