/**
 * A ToolContext for tests that call tools directly: a real run scope (ended by `end()`), the given
 * roots, and an `authorize` that allows everything unless a test passes its own.
 */
import { createRunScope, type OwnedRunScope } from '../../src/tools/run-scope.js';
import type { Authorize, PermissionRequest } from '../../src/tools/permissions/permission.js';
import type { ToolContext, ToolNotice } from '../../src/tools/tool.js';

/** A context plus what the test may want to look at afterwards. */
export interface TestToolContext {
  ctx: ToolContext;
  scope: OwnedRunScope;
  /** Every permission request the tools made, in order. */
  requests: PermissionRequest[];
  /** Every notice the tools sent. */
  notices: ToolNotice[];
  /** Abort the run's signal (cancel). */
  abort(): void;
  /** End the run's scope (kills background shells, …). */
  end(): Promise<void>;
}

/** Build a context over `roots`; `authorize` defaults to allow-all, `null` leaves it out. */
export function createTestToolContext(roots: string[], authorize: Authorize | null = async () => ({ allowed: true })): TestToolContext {
  const controller = new AbortController();
  const scope = createRunScope();
  const requests: PermissionRequest[] = [];
  const notices: ToolNotice[] = [];
  const ctx: ToolContext = {
    signal: controller.signal,
    roots,
    runId: 'test-run',
    scope,
    notify: (notice) => notices.push(notice),
    ...(authorize === null
      ? {}
      : {
          authorize: (request: PermissionRequest) => {
            requests.push(request);
            return authorize(request);
          },
        }),
  };
  return {
    ctx,
    scope,
    requests,
    notices,
    abort: () => controller.abort(),
    end: async () => {
      await scope.end();
    },
  };
}

/** The text parts of a tool result, joined. */
export function resultText(result: { content: Array<{ type: string; text?: string }> }): string {
  return result.content.map((part) => (part.type === 'text' ? (part.text ?? '') : `[${part.type}]`)).join('');
}
