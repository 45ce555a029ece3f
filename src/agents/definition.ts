/**
 * What an agent is, as data. Everything in agents/ produces or consumes these types;
 * nothing here imports from the rest of the project.
 */

import type { AgentRunFields } from './run-fields.js';

import type { Problem } from './problem.js';

export type { Finding, Problem, ProblemCode } from './problem.js';

/** The model an agent asks for, as written (`inherit`, an alias, or a full id). */
export type ModelSpec = string;

/** One agent, parsed and normalized, ready to publish and run; its run fields (limits, mode, servers, effort) typed. */
export interface AgentDefinition extends AgentRunFields {
  /** The `name` as written (or derived from the file name when there is no front matter). */
  name: string;
  /** The MCP tool name: `name` made valid for `^[A-Za-z0-9_-]{1,64}$`. */
  toolName: string;
  /** A human title: the first heading for files without front matter, else the name. */
  title: string;
  /** The description as written (may be long, with `<example>` blocks). */
  description: string;
  /** The system prompt sent to the model: the body, with escaped markdown undone. */
  prompt: string;
  /**
   * The tool allowlist after legacy names were mapped (Task→Agent, KillBash→TaskStop, …).
   * `undefined` means "inherit every tool the server offers".
   */
  tools?: string[];
  /** Tools removed from whatever `tools` resolves to. */
  disallowedTools: string[];
  /** `inherit`, an alias (`opus`, `sonnet`, `haiku`, `fable`) or a full model id. */
  model: ModelSpec;
  /** Every other front-matter key, kept as written (color, hooks, skills, …). */
  extra: Record<string, unknown>;
  /** Absolute path of the source file. */
  file: string;
  /** The file exactly as read, for the `agent://` resource. */
  source: string;
  /** Non-fatal problems: lenient parsing used, unknown tool names, … */
  warnings: Problem[];
}

/**
 * An agent without its body (`prompt`, `source`): what listing, ranking and validating need,
 * and what start-up reads (the body is read from the file on first use).
 */
export type AgentHead = Omit<AgentDefinition, 'prompt' | 'source'>;

/** The outcome of loading one file. */
export type LoadResult =
  | { kind: 'agent'; agent: AgentDefinition }
  | { kind: 'skipped'; file: string; reason: string; line?: number; broken: boolean };
