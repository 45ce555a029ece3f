/**
 * The decider behind `ToolContext.authorize`, one per run: the run's permission mode, the
 * server's `--allow-bash` patterns, what the user already approved for this run, and — when the
 * mode says "ask" — the calling client's user, if that client can be asked.
 *
 * | mode              | file edits                | Bash                                    |
 * |-------------------|---------------------------|-----------------------------------------|
 * | plan              | refused (not even offered)| refused (not even offered)              |
 * | dontAsk (agent)   | refused                   | pre-approved commands only              |
 * | default           | ask                       | pre-approved run, the rest ask          |
 * | acceptEdits       | allowed (in the workspace)| pre-approved run, the rest ask          |
 * | bypassPermissions | allowed                   | allowed                                 |
 *
 * Protected paths (protected-paths.ts) are asked about in every mode but bypassPermissions, one
 * question per write: neither acceptEdits, nor a pre-approved command naming one, nor an earlier
 * "approve for the run" lets a write there through.
 *
 * "Ask" with a client that cannot elicit is a refusal that names the flag to restart with.
 * Questions are asked one at a time, so "approve for the rest of the run" given to the first
 * settles the ones queued behind it.
 */
import { checkPreApproval, suggestAllowPattern } from './bash-allowlist.js';
import type { AskUser, Authorize, PermissionRequest, PermissionVerdict } from './permission.js';
import type { PermissionMode } from './permission-mode.js';
import type { ProtectedPaths } from './protected-paths.js';

/** What a run's gate needs. */
export interface PermissionGateOptions {
  mode: PermissionMode;
  /** `--allow-bash` patterns. */
  allowBash: readonly string[];
  /** Asks the client's user; absent when the client cannot elicit. */
  askUser?: AskUser;
  /** The run's signal: a pending question is abandoned (as a refusal) when it aborts. */
  signal: AbortSignal;
  /** The agent whose run this is, for the question. */
  agentName: string;
  /** Paths only a question (or bypassPermissions) may write; absent = none. */
  protectedPaths?: ProtectedPaths;
}

/**
 * The mode's answer before anyone is asked. `ask` carries why the request was not let through
 * (the refusal quotes it when the client cannot ask) and whether an earlier "approve for the
 * run" may settle it (never for a protected path).
 */
type Decision = { kind: 'allow' } | { kind: 'ask'; why: string; coveredByRunApproval: boolean } | { kind: 'deny'; message: string };

const ALLOW: PermissionVerdict = { allowed: true };

function describe(request: PermissionRequest): string {
  return request.kind === 'edit' ? `${request.action} ${request.path}` : `run \`${request.command}\``;
}

/** The refusal of a tool the mode withholds, named after the mode and how the operator lifts it. */
export function planModeMessage(tool: string): string {
  return `${tool} refused: the server runs in plan mode (--permission-mode plan, or the agent's permissionMode: plan), where only read-only tools run. Describe the change in your answer instead; the operator can restart agents-mcp with --permission-mode default or acceptEdits to let agents make it.`;
}

/** Decide before anyone is asked. */
async function decideByMode(request: PermissionRequest, options: Pick<PermissionGateOptions, 'mode' | 'allowBash' | 'protectedPaths'>): Promise<Decision> {
  const { mode } = options;
  if (mode === 'bypassPermissions') return { kind: 'allow' };
  if (mode === 'plan') return { kind: 'deny', message: planModeMessage(request.tool) };
  if (request.kind === 'edit') {
    const protectedWhy = options.protectedPaths?.reasonFor(request.path);
    if (protectedWhy !== undefined) {
      const why = `${request.path} is protected (${protectedWhy}); no mode but bypassPermissions and no pre-approval writes there`;
      if (mode === 'dontAsk') return { kind: 'deny', message: `${request.tool} refused: ${why}, and the agent runs in dontAsk mode (permissionMode: dontAsk), which never asks.` };
      return { kind: 'ask', why, coveredByRunApproval: false };
    }
    if (mode === 'acceptEdits') return { kind: 'allow' };
    if (mode === 'dontAsk') return { kind: 'deny', message: `${request.tool} refused: the agent runs in dontAsk mode (permissionMode: dontAsk in its file), where file edits are not allowed; the agent file's author can remove that line to let the server's mode decide.` };
    return { kind: 'ask', why: `the server runs in ${mode} mode`, coveredByRunApproval: true };
  }
  const pre = await checkPreApproval(request.command, options.allowBash);
  const protectedWhy = pre.approved ? options.protectedPaths?.reasonForWords(pre.words, request.cwd) : undefined;
  if (pre.approved && protectedWhy === undefined) return { kind: 'allow' };
  const why = pre.approved
    ? `it names a protected path (${protectedWhy}), which no pre-approval covers`
    : `it is not pre-approved by --allow-bash: ${pre.reason}`;
  if (mode === 'dontAsk') return { kind: 'deny', message: `Bash refused: the agent runs in dontAsk mode (permissionMode: dontAsk in its file), where only commands the operator pre-approved with --allow-bash run, and ${why}.` };
  return { kind: 'ask', why, coveredByRunApproval: protectedWhy === undefined };
}

/** The refusal for a request that needs a question the client cannot ask. */
async function cannotAskMessage(mode: PermissionMode, request: PermissionRequest, why: string): Promise<string> {
  const noAsk = `the server runs in ${mode} mode and this client cannot ask the user (it offers no MCP elicitation)`;
  if (request.kind === 'edit') {
    const allow = why.includes('protected')
      ? 'only a user who is asked, or --permission-mode bypassPermissions, can allow writing there'
      : 'restart agents-mcp with --permission-mode acceptEdits to allow file edits inside the workspace';
    return `${request.tool} needs approval to ${describe(request)}: ${why.startsWith('the server runs') ? noAsk : `${why}; ${noAsk}`}; ${allow}.`;
  }
  const suggestion = why.includes('protected') ? undefined : await suggestAllowPattern(request.command);
  const allow =
    suggestion === undefined
      ? 'no --allow-bash pattern can pre-approve it; use a client that can ask, or restart agents-mcp with --permission-mode bypassPermissions to allow every command'
      : `allow it with --allow-bash ${suggestion} (repeatable; a prefix or a glob), or restart agents-mcp with --permission-mode bypassPermissions to allow every command`;
  return `Bash needs approval: ${why}; ${noAsk}; ${allow}.`;
}

/** Create the `authorize` function of one run. */
export function createPermissionGate(options: PermissionGateOptions): Authorize {
  const approvedForRun = new Set<PermissionRequest['kind']>();
  // Questions go one at a time; each waits for the previous one to settle.
  let queue: Promise<unknown> = Promise.resolve();

  async function ask(request: PermissionRequest, askUser: AskUser, covered: boolean): Promise<PermissionVerdict> {
    if (covered && approvedForRun.has(request.kind)) return ALLOW;
    if (options.signal.aborted) return { allowed: false, message: `${request.tool} was not run: the run was cancelled.` };
    const answer = await askUser({ request, mode: options.mode, agent: options.agentName }, options.signal);
    switch (answer.answer) {
      case 'approve':
        return ALLOW;
      case 'approve_for_run':
        if (covered) approvedForRun.add(request.kind);
        return ALLOW;
      case 'decline':
        return {
          allowed: false,
          message: `${request.tool} refused: the user did not approve this (${answer.reason}). Do not retry it; carry on without it or explain in your answer what you needed.`,
        };
    }
  }

  return async (request) => {
    const decision = await decideByMode(request, options);
    if (decision.kind === 'allow') return ALLOW;
    if (decision.kind === 'deny') return { allowed: false, message: decision.message };
    if (decision.coveredByRunApproval && approvedForRun.has(request.kind)) return ALLOW;
    const askUser = options.askUser;
    if (askUser === undefined) return { allowed: false, message: await cannotAskMessage(options.mode, request, decision.why) };
    const turn = queue.then(() => ask(request, askUser, decision.coveredByRunApproval));
    queue = turn.catch(() => undefined);
    try {
      return await turn;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { allowed: false, message: `${request.tool} refused: asking the user failed (${reason}).` };
    }
  };
}
