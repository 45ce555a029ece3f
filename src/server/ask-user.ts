/**
 * Asking the calling client's user for approval, over MCP elicitation (a form with one choice:
 * approve, approve for the rest of the run, decline). Only offered when the client declared form
 * elicitation; every failure (decline, dismissal, timeout, cancellation, a client error) comes back
 * as a decline with its reason, so a run never hangs and never takes silence for consent.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, McpError, type ElicitRequestFormParams, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalQuestion, AskUser, UserAnswer } from '../tools/permissions/permission.js';

/** How long one question waits for the user before it counts as declined. */
export const APPROVAL_TIMEOUT_MSEC = 5 * 60 * 1000;

/** The question's text: who asks, for what, and why it is asked. */
export function formatApprovalMessage(question: ApprovalQuestion): string {
  const { request, agent, mode } = question;
  const what =
    request.kind === 'edit'
      ? `Agent "${agent}" wants to ${request.action} this file (${request.tool}):\n${request.path}${request.preview ? `\n\n${request.preview}` : ''}`
      : `Agent "${agent}" wants to run this command in ${request.cwd}:\n\n${request.command}${request.description ? `\n\n(${request.description})` : ''}`;
  return `${what}\n\nagents-mcp runs in ${mode} mode, which asks before ${request.kind === 'edit' ? 'file edits' : 'shell commands'}.`;
}

/** The approval form both eras show: the question and the three choices. */
export function approvalForm(question: ApprovalQuestion): ElicitRequestFormParams {
  const kind = question.request.kind === 'edit' ? 'file edits' : 'commands';
  return {
    mode: 'form',
    message: formatApprovalMessage(question),
    requestedSchema: {
      type: 'object',
      properties: {
        decision: {
          type: 'string',
          title: 'Allow this?',
          oneOf: [
            { const: 'approve', title: 'Approve' },
            { const: 'approve_for_run', title: `Approve all ${kind} for the rest of this run` },
            { const: 'decline', title: 'Decline' },
          ],
        },
      },
      required: ['decision'],
    },
  };
}

/** The user's answer in an elicitation result (pushed in 2025, an input response in 2026); anything unclear is a decline. */
export function readApprovalAnswer(result: { action?: unknown; content?: Record<string, unknown> | undefined }): UserAnswer {
  if (result.action === 'cancel') return { answer: 'decline', reason: 'the user dismissed the question' };
  if (result.action !== 'accept') return { answer: 'decline', reason: 'declined by the user' };
  const decision = result.content?.['decision'];
  if (decision === 'approve' || decision === 'approve_for_run') return { answer: decision };
  return { answer: 'decline', reason: 'declined by the user' };
}

/**
 * The AskUser for one tools/call, or undefined when the client cannot elicit.
 * @param requestId the tools/call's id, so HTTP clients get the question on that request's stream.
 */
export function createAskUser(server: Server, requestId: RequestId): AskUser | undefined {
  if (server.getClientCapabilities()?.elicitation?.form === undefined) return undefined;
  return async (question, signal): Promise<UserAnswer> => {
    try {
      const result = await server.elicitInput(approvalForm(question), { signal, relatedRequestId: requestId, timeout: APPROVAL_TIMEOUT_MSEC });
      return readApprovalAnswer(result);
    } catch (err) {
      if (signal.aborted) return { answer: 'decline', reason: 'the run was cancelled while waiting for an answer' };
      if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
        return { answer: 'decline', reason: `no answer within ${APPROVAL_TIMEOUT_MSEC / 60_000} minutes` };
      }
      return { answer: 'decline', reason: `the client could not ask: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
}
