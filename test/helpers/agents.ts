/** Agent definitions for tests, parsed from front matter text the way agent files are. */
import { parseAgentText } from '../../src/agents/parse-agent.js';
import type { AgentDefinition } from '../../src/agents/definition.js';

/** Parse `---\n<frontMatter>\n---\n<prompt>` as the agent file `/virtual/<name>.md`. */
export function agentFromText(frontMatter: string, prompt = 'You are a test agent.'): AgentDefinition {
  const loaded = parseAgentText('/virtual/agent.md', `---\n${frontMatter.trim()}\n---\n${prompt}\n`);
  if (loaded.kind !== 'agent') throw new Error(`not an agent: ${loaded.reason}`);
  return loaded.agent;
}

/** A block of a Messages request's content, as tests look at it. */
export interface RequestBlock {
  type: string;
  tool_use_id?: string;
  is_error?: boolean;
  content?: unknown;
  text?: string;
}

/** The blocks of the last message of a Messages request body. */
export function lastMessageBlocks(body: unknown): RequestBlock[] {
  const messages = (body as { messages: Array<{ content: RequestBlock[] | string }> }).messages;
  const content = messages.at(-1)?.content;
  return Array.isArray(content) ? content : [];
}

/** The tool_result block of the last message (the one answering the previous tool_use). */
export function lastToolResult(body: unknown): RequestBlock {
  const result = lastMessageBlocks(body).find((b) => b.type === 'tool_result');
  if (!result) throw new Error('the last message has no tool_result');
  return result;
}

/** Names of the tools offered in a Messages request. */
export function offeredTools(body: unknown): string[] {
  return ((body as { tools?: Array<{ name: string }> }).tools ?? []).map((t) => t.name);
}
