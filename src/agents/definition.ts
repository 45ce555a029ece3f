/**
 * What an agent is, as data. Everything in agents/ produces or consumes these types;
 * nothing here imports from the rest of the project.
 */

import type { AgentRunFields } from './run-fields.js';

/** A problem found while loading a file: where it is and what is wrong. */
export interface Problem {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line, when the problem has one. */
  line?: number;
  /** One sentence a person can act on. */
  reason: string;
  /** A stable tag so tools and tests can tell kinds of problems apart without matching prose. */
  code?: ProblemCode;
}

/**
 * Kinds of non-fatal problems. Added to the contract so callers (validate report, tests)
 * need not parse `reason` text.
 */
export type ProblemCode =
  /** The front matter is not valid YAML; known keys were recovered line by line. */
  | 'lenient-front-matter'
  /** The front matter is indented, preceded by blank lines or closed by a long rule: Claude Code may not read it. */
  | 'front-matter-layout'
  /** A tool name that is neither a Claude Code built-in nor `mcp__…`; kept as written. */
  | 'unknown-tool'
  /** A known tool name that this server does not offer (added by `validate`, which knows the toolbox). */
  | 'unavailable-tool'
  /** A field had an unexpected type or value and was coerced or ignored. */
  | 'field-value'
  /** The file has no front matter; name, title and description were derived. */
  | 'no-front-matter'
  /** The latest edit could not be loaded; the last good version is still served. */
  | 'stale-version';

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
