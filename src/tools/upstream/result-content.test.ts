import { describe, expect, it } from 'vitest';
import { MAX_IMAGES_PER_RESULT, toModelToolResult } from './result-content.js';

const png = 'iVBORw0KGgo=';

describe('toModelToolResult', () => {
  it('passes text and images through and keeps isError', () => {
    expect(toModelToolResult({ content: [{ type: 'text', text: 'hi' }, { type: 'image', data: png, mimeType: 'image/png' }], isError: true })).toEqual({
      content: [
        { type: 'text', text: 'hi' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      ],
      isError: true,
    });
  });

  it('turns resources, links and audio into text the model can read', () => {
    const result = toModelToolResult(
      {
        content: [
          { type: 'resource', resource: { uri: 'memory://g', mimeType: 'application/json', text: '{"a":1}' } },
          { type: 'resource', resource: { uri: 'file:///x.bin', mimeType: 'application/octet-stream', blob: 'AAAA' } },
          { type: 'resource', resource: { uri: 'file:///x.png', mimeType: 'image/png', blob: png } },
          { type: 'resource_link', uri: 'demo://r/1', name: 'one', mimeType: 'text/plain', description: 'first' },
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
          { type: 'image', data: 'AAAA', mimeType: 'image/svg+xml' },
        ],
      },
      { server: 'everything' },
    );
    expect(result.isError).toBeUndefined();
    expect(result.content).toEqual([
      { type: 'text', text: '[resource <memory://g> application/json]\n{"a":1}' },
      { type: 'text', text: '[resource <file:///x.bin> application/octet-stream: 3 bytes of binary data; not shown]' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
      { type: 'text', text: '[resource link: one <demo://r/1>, text/plain (read it with ReadMcpResourceTool, server "everything")]: first' },
      { type: 'text', text: '[audio: audio/wav, 3 bytes; not shown, the model cannot take audio]' },
      { type: 'text', text: '[image: image/svg+xml, 3 bytes; not shown, the model accepts only PNG, JPEG, GIF and WebP images]' },
    ]);
  });

  it('adds structuredContent unless a text part already carries it', () => {
    const sc = { temperature: 33, conditions: 'Cloudy' };
    expect(toModelToolResult({ content: [{ type: 'text', text: JSON.stringify({ conditions: 'Cloudy', temperature: 33 }) }], structuredContent: sc }).content).toHaveLength(1);
    expect(toModelToolResult({ content: [{ type: 'text', text: 'Weather ok' }], structuredContent: sc }).content).toEqual([
      { type: 'text', text: 'Weather ok' },
      { type: 'text', text: 'structuredContent: {"temperature":33,"conditions":"Cloudy"}' },
    ]);
    expect(toModelToolResult({ content: [{ type: 'text', text: 'Weather ok' }], structuredContent: sc }, { omitStructuredContent: true }).content).toHaveLength(1);
  });

  it('caps long text across parts with a note, and the number of images', () => {
    const long = toModelToolResult({ content: [{ type: 'text', text: 'x'.repeat(500) }, { type: 'text', text: 'y'.repeat(300) }] }, { maxChars: 100 });
    const texts = long.content.map((p) => (p.type === 'text' ? p.text : ''));
    expect(texts[0]).toMatch(/^x{100}\n…output truncated \(400 more characters\)$/);
    expect(texts[1]).toBe('…result truncated (300 more characters in further parts); ask the tool for less, e.g. a narrower query or a page.');
    const many = toModelToolResult({ content: Array.from({ length: MAX_IMAGES_PER_RESULT + 2 }, () => ({ type: 'image' as const, data: png, mimeType: 'image/png' })) });
    expect(many.content.filter((p) => p.type === 'image')).toHaveLength(MAX_IMAGES_PER_RESULT);
    expect(many.content.at(-1)).toEqual({ type: 'text', text: '…result truncated (2 more image(s)); ask the tool for less, e.g. a narrower query or a page.' });
  });

  it('gives an empty result no parts (the loop says "(no output)")', () => {
    expect(toModelToolResult({ content: [] })).toEqual({ content: [] });
  });
});
