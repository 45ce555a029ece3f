/**
 * Floor for the per-call cost over HTTP: an MCP SDK v2 server (2026-07-28, with the SDK's own
 * stateless fallback for 2025 clients) on 127.0.0.1 with one tool, `agent`, that makes one
 * streamed Anthropic SDK turn per call (ANTHROPIC_BASE_URL: the fake Messages API) and returns
 * the text. Nothing else: no loop, no tools for the model, no logs, no sessions. Prints
 * `listening <url>` on stdout once it listens; ends on SIGTERM or when stdin closes.
 */
import { createServer } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const anthropic = new Anthropic();

function createMcpServer() {
  const server = new McpServer({ name: 'floor-turn', version: '0.0.0' });
  server.registerTool('agent', { description: 'One model turn.', inputSchema: z.object({ prompt: z.string() }) }, async ({ prompt }) => {
    const stream = anthropic.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] });
    const message = await stream.finalMessage();
    const text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
    return { content: [{ type: 'text', text }] };
  });
  return server;
}

const handler = toNodeHandler(createMcpHandler(createMcpServer));
const http = createServer((req, res) => void handler(req, res));
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address();
  process.stdout.write(`listening http://127.0.0.1:${port}/mcp\n`);
});
const stop = () => http.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.once('end', stop);
process.stdin.resume();
