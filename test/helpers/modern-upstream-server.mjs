/**
 * The tools of the 2026-only upstream MCP server of the tests (SDK v2's McpServer), served over
 * stdio by modern-upstream.mjs and over HTTP by the tests that need it:
 *
 *   echo {message}   "Echo (<era> era): <message>"
 *   chain            the delegation chain it received in the request's `_meta`, as JSON
 *   count {steps}    one progress notification per step, then waits for `finish`; "counted <steps>"
 *   finish           lets the waiting `count` answer (so no progress can come after its result)
 *   confirm          asks the client for a person's confirmation (`input_required`)
 *   resume           answers `input_required` with only a `requestState`; retried with it, "resumed <state>"
 *   add-tool         registers the tool `late` (a tools list_changed) and says so
 *   late             "late tool"; exists once add-tool ran
 *
 * Resource `modern://note` reads "a 2026 resource".
 */
import { inputRequired, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const CHAIN_META_KEY = 'io.agents-mcp/chain';

/** Resolves the `count` call waiting for `finish` (one process, whatever instance serves it). */
let finishCount = () => undefined;

/** A fresh server instance for `era` ('modern' or 'legacy'). */
export function createModernServer(era) {
  const server = new McpServer({ name: 'modern-upstream', version: '0.0.0' });
  const text = (value) => ({ content: [{ type: 'text', text: value }] });

  server.registerTool('echo', { description: 'Echoes the message.', inputSchema: z.object({ message: z.string() }) }, async ({ message }) =>
    text(`Echo (${era} era): ${message}`),
  );

  server.registerTool('chain', { description: 'Returns the delegation chain of the call.', inputSchema: z.object({}) }, async (_input, ctx) =>
    text(JSON.stringify(ctx.mcpReq._meta?.[CHAIN_META_KEY] ?? null)),
  );

  server.registerTool('count', { description: 'Counts with progress.', inputSchema: z.object({ steps: z.number().int().min(1).max(20) }) }, async ({ steps }, ctx) => {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps, message: `step ${i}` } });
      }
    }
    await new Promise((resolve) => {
      finishCount = resolve;
    });
    return text(`counted ${steps}`);
  });

  server.registerTool('finish', { description: 'Lets a waiting `count` answer.', inputSchema: z.object({}) }, async () => {
    finishCount();
    return text('finished');
  });

  server.registerTool('confirm', { description: 'Asks a person to confirm.', inputSchema: z.object({}) }, async () =>
    inputRequired({
      inputRequests: {
        ok: inputRequired.elicit({ message: 'Go ahead?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }),
      },
    }),
  );

  server.registerTool('resume', { description: 'Needs a second round.', inputSchema: z.object({}) }, async (_input, ctx) => {
    const state = ctx.mcpReq.requestState();
    return state === undefined ? inputRequired({ requestState: 'round-2' }) : text(`resumed ${state}`);
  });

  server.registerTool('add-tool', { description: 'Adds the tool `late`.', inputSchema: z.object({}) }, async () => {
    server.registerTool('late', { description: 'A tool added while running.', inputSchema: z.object({}) }, async () => text('late tool'));
    return text('added late');
  });

  server.registerResource('note', 'modern://note', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'a 2026 resource' }],
  }));
  return server;
}
