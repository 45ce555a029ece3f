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
 * "Ask" with a client that cannot elicit is a refusal that names the flag to restart with.
 * Questions are asked one at a time, so "approve for the rest of the run" given to the first
 * settles the ones queued behind it.
 */
import { isPreApproved, suggestAllowPattern } from './bash-allowlist.js';
import type { AskUser, Authorize, PermissionRequest, PermissionVerdict } from './permission.js';
import type { PermissionMode } from './permission-mode.js';

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
}

type Decision = 'allow' | 'ask' | { deny: string };

const ALLOW: PermissionVerdict = { allowed: true };

function describe(request: PermissionRequest): string {
  return request.kind === 'edit' ? `${request.action} ${request.path}` : `run \`${request.command}\``;
}

/** The mode's answer before anyone is asked. */
export function decideByMode(mode: PermissionMode, request: PermissionRequest, allowBash: readonly string[]): Decision {
  if (mode === 'bypassPermissions') return 'allow';
  if (mode === 'plan') {
    return { deny: `${request.tool} is not allowed: the run is in plan mode, where only read-only tools may be used.` };
  }
  if (request.kind === 'bash' && isPreApproved(request.command, allowBash)) return 'allow';
  if (mode === 'dontAsk') {
    return {
      deny:
        request.kind === 'bash'
          ? `Bash refused: the agent runs in dontAsk mode and \`${request.command}\` is not pre-approved by the server's --allow-bash patterns.`
          : `${request.tool} refused: the agent runs in dontAsk mode, where file edits are not allowed.`,
    };
  }
  if (request.kind === 'edit' && mode === 'acceptEdits') return 'allow';
  return 'ask';
}

/** The refusal for a request that needs a question the client cannot ask. */
export function cannotAskMessage(mode: PermissionMode, request: PermissionRequest): string {
  if (request.kind === 'edit') {
    return (
      `${request.tool} needs approval to ${describe(request)}: the server runs in ${mode} mode and this client cannot ask the user; ` +
      `restart agents-mcp with --permission-mode acceptEdits to allow file edits inside the workspace.`
    );
  }
  const suggestion = suggestAllowPattern(request.command) ?? "'<command prefix>'";
  return (
    `Bash needs approval: the server runs in ${mode} mode and this client cannot ask the user; ` +
    `allow the command with --allow-bash ${suggestion} (repeatable; a prefix or a glob), ` +
    `or restart agents-mcp with --permission-mode bypassPermissions to allow every command.`
  );
}

/** Create the `authorize` function of one run. */
export function createPermissionGate(options: PermissionGateOptions): Authorize {
  const approvedForRun = new Set<PermissionRequest['kind']>();
  // Questions go one at a time; each waits for the previous one to settle.
  let queue: Promise<unknown> = Promise.resolve();

  async function ask(request: PermissionRequest, askUser: AskUser): Promise<PermissionVerdict> {
    if (approvedForRun.has(request.kind)) return ALLOW;
    if (options.signal.aborted) return { allowed: false, message: `${request.tool} was not run: the run was cancelled.` };
    const answer = await askUser({ request, mode: options.mode, agent: options.agentName }, options.signal);
    switch (answer.answer) {
      case 'approve':
        return ALLOW;
      case 'approve_for_run':
        approvedForRun.add(request.kind);
        return ALLOW;
      case 'decline':
        return {
          allowed: false,
          message: `${request.tool} refused: the user did not approve this (${answer.reason}). Do not retry it; carry on without it or explain in your answer what you needed.`,
        };
    }
  }

  return async (request) => {
    const decision = decideByMode(options.mode, request, options.allowBash);
    if (decision === 'allow') return ALLOW;
    if (decision !== 'ask') return { allowed: false, message: decision.deny };
    if (approvedForRun.has(request.kind)) return ALLOW;
    const askUser = options.askUser;
    if (askUser === undefined) return { allowed: false, message: cannotAskMessage(options.mode, request) };
    const turn = queue.then(() => ask(request, askUser));
    queue = turn.catch(() => undefined);
    try {
      return await turn;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { allowed: false, message: `${request.tool} refused: asking the user failed (${reason}).` };
    }
  };
}
