/**
 * WebSearch and WebFetch: Claude Code's web tools, mapped to the Messages API's server tools
 * (`web_search`, `web_fetch`). The API runs them itself, inside a model turn: the loop offers
 * their typed definitions instead of client tools, passes their blocks back untouched and answers
 * `pause_turn` by sending the turn back. So these Tools are never run here, and no permission is
 * asked for them (the search or fetch happens on Anthropic's side, not on this machine, before we
 * see it): they count as read-only and are offered in every mode. An agent that must not reach the
 * web leaves them out of `tools` or lists them in `disallowedTools`.
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-fetch-tool
 */
import type { ApiTool, ServerToolDefinition } from '../tool.js';

/** The server tool version WebSearch maps to. */
export const WEB_SEARCH_TOOL_TYPE = 'web_search_20250305';
/** The server tool version WebFetch maps to. */
export const WEB_FETCH_TOOL_TYPE = 'web_fetch_20250910';

/** Options shared by both web tools. */
export interface WebToolOptions {
  /** Most searches (or fetches) per turn; absent = the API's default. */
  maxUses?: number;
}

function createServerTool(name: string, description: string, serverTool: ServerToolDefinition): ApiTool {
  return { name, description, inputSchema: { type: 'object', properties: {} }, kind: 'read', serverTool };
}

/** Create WebSearch (the API's `web_search` server tool). */
export function createWebSearchTool(options: WebToolOptions = {}): ApiTool {
  return createServerTool('WebSearch', 'Searches the web (runs on the Anthropic API as web_search).', {
    type: WEB_SEARCH_TOOL_TYPE,
    name: 'web_search',
    ...(options.maxUses === undefined ? {} : { max_uses: options.maxUses }),
  });
}

/** Create WebFetch (the API's `web_fetch` server tool). */
export function createWebFetchTool(options: WebToolOptions = {}): ApiTool {
  return createServerTool('WebFetch', 'Fetches a web page or PDF by URL (runs on the Anthropic API as web_fetch).', {
    type: WEB_FETCH_TOOL_TYPE,
    name: 'web_fetch',
    ...(options.maxUses === undefined ? {} : { max_uses: options.maxUses }),
  });
}
