/**
 * Floor for start-up, listing and idle memory: the plainest server the MCP SDK makes for the
 * same folder. It reads every `*.md` file under the folder given as its argument, takes name
 * and description from the front matter (gray-matter, as most agent tools do) and registers one
 * tool per file with a `{ prompt }` input; then it serves stdio. No watching, no cache, no
 * validation beyond that: what any server must do to list these agents.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const dir = path.resolve(process.argv[2] ?? '.');
const server = new McpServer({ name: 'floor-list', version: '0.0.0' });
const seen = new Set();
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
  const file = path.join(entry.parentPath, entry.name);
  let data = {};
  try {
    data = matter(readFileSync(file, 'utf8')).data;
  } catch {
    // Not strict YAML (common in real files): still listed, under its file name.
  }
  const name = String(data.name ?? path.basename(file, '.md')).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
  if (seen.has(name)) continue;
  seen.add(name);
  server.registerTool(name, { description: String(data.description ?? ''), inputSchema: { prompt: z.string() } }, async ({ prompt }) => ({
    content: [{ type: 'text', text: `${name}: ${prompt}` }],
  }));
}
await server.connect(new StdioServerTransport());
process.stdin.once('end', () => process.exit(0));
