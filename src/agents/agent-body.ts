/**
 * An agent's body (system prompt and file text) read on first use rather than at start-up:
 * start-up then costs the front matter of each file, not the whole folder's Markdown, and an
 * idle server does not hold every file's text.
 */

import type { AgentDefinition, AgentHead } from './definition.js';
import { readAgentPrompt } from './parse-agent.js';
import { readVersion } from './read-version.js';

/** The body of an agent: its system prompt and its file exactly as read. */
export interface AgentBody {
  prompt: string;
  source: string;
}

/**
 * `head` as an AgentDefinition whose `prompt` and `source` call `load` once, on first read, and
 * keep what it returned. They are enumerable own properties, so spreading, JSON and deep
 * equality see them as plain fields (and read the body).
 */
export function withLazyBody(head: AgentHead, load: () => AgentBody): AgentDefinition {
  let body: AgentBody | undefined;
  // Getters in the literal (not defineProperty): objects of one shape, cheap at 3,000 agents.
  return {
    ...head,
    get prompt() {
      return (body ??= load()).prompt;
    },
    get source() {
      return (body ??= load()).source;
    },
  };
}

/** A copy of `agent` with `patch` applied that keeps an unread body unread. */
export function copyAgent(agent: AgentDefinition, patch: Partial<AgentHead>): AgentDefinition {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(agent)) as AgentDefinition;
  return Object.assign(copy, patch);
}

/**
 * A body loader for an agent read from `file`. The body is the file's as it is on first use:
 * unchanged since loading, exactly what a full parse gave then; edited since, the new text,
 * which the watcher publishes with the new front matter within a second (so the last good
 * version of a broken edit keeps the prompt below the front matter). Throws, naming the file,
 * when it can no longer be read.
 */
export function createFileBodyLoader(file: string, maxBytes: number): () => AgentBody {
  return () => {
    let text: string;
    try {
      const { bytes } = readVersion(file, maxBytes);
      if (bytes.length > maxBytes) throw new Error(`it is now over the ${maxBytes}-byte limit`);
      text = bytes.toString('utf8');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`the agent file ${file} could not be read for its system prompt (${why}); it was changed or removed after it was loaded`, { cause: error });
    }
    return { prompt: readAgentPrompt(text), source: text };
  };
}
