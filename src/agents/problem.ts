/**
 * What loading an agent file can find wrong. Its own module, importing nothing, so that the
 * definition, the front-matter reader and the run fields can all name it without a circle.
 */

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

/** A problem inside the file being read (the file is added by whoever reports it). */
export type Finding = Omit<Problem, 'file'>;
