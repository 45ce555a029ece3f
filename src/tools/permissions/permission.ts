/**
 * The permission seam between tools and whoever decides: a tool that changes something describes
 * the change as a {@link PermissionRequest} and awaits `ctx.authorize`; the decision (mode, pre-approved
 * commands, asking the client's user) lives behind it, in permission-gate.ts and the server. Types only,
 * importing nothing, so tool.ts can name `Authorize` without an import circle (check-permission.ts
 * holds the check that needs tool.ts).
 */
/** A change a tool wants to make. `tool` is the tool's name as the model sees it. */
export type PermissionRequest =
  /**
   * Writing a file: `path` is the real path inside the workspace; `action` says what (e.g. "edit",
   * "create"); `preview` is the change as a capped unified diff (change-diff.ts), for the question.
   */
  | { kind: 'edit'; tool: string; path: string; action: string; preview?: string }
  /** Running a shell command in `cwd`. */
  | { kind: 'bash'; tool: string; command: string; cwd: string; description?: string };

/** What the decider says. A refusal carries the text the model reads. */
export type PermissionVerdict = { allowed: true } | { allowed: false; message: string };

/** Decide on one request. Must never hang: it settles when the run's signal aborts at the latest. */
export type Authorize = (request: PermissionRequest) => Promise<PermissionVerdict>;

/** The user's answer to one approval question. */
export type UserAnswer =
  | { answer: 'approve' }
  /** Approve this and every later request of the same kind (edits, or commands) in this run. */
  | { answer: 'approve_for_run' }
  /** Declined, dismissed, timed out or failed; `reason` says which, for the model. */
  | { answer: 'decline'; reason: string };

/** One question for the client's user. */
export interface ApprovalQuestion {
  request: PermissionRequest;
  /** The permission mode the run is in, to show why the question is asked. */
  mode: string;
  /** The agent whose run asks. */
  agent: string;
}

/**
 * Ask the calling client's user (MCP elicitation). Supplied by the server per call, only when the
 * client can ask; settles (as a decline) when `signal` aborts.
 */
export type AskUser = (question: ApprovalQuestion, signal: AbortSignal) => Promise<UserAnswer>;
