/**
 * Every agent call goes through here: wait for a slot (--max-concurrent-runs), record the run
 * (so it can be listed, read and resumed), run it, record how it ended. Front ends (the MCP
 * tool, a task) call this; it never throws.
 */
import { randomUUID } from 'node:crypto';
import type { AgentDefinition } from '../agents/definition.js';
import { resolveModel } from '../agents/models.js';
import { prepareAndRun, type RunDeps } from './prepare-and-run.js';
import { internalErrorResult, noRunResult, type RunResult } from './result.js';
import { ModelError, type ModelClient, type ModelMessage } from './model.js';
import { LOCAL_PRINCIPAL, type CallContext } from './call-context.js';
import { endedRecord, fromStoredPrefix, ownerOf, RUN_RECORD_SCHEMA_VERSION, type RunRecord } from './run-record.js';
import type { StoredRun } from './resume.js';
import type { RunSlots } from './run-slots.js';
import { RunStoreUnavailableError, type RunStore } from './run-store.js';


/** The conversation a call may continue, or why it may not. */
export type ResumeCheck = { ok: true; runId: string; history: ModelMessage[] } | { ok: false; problem: string };

export interface Runner {
  /**
   * Run one call to its end; never throws. `client` is the model backend for this call (e.g. the
   * calling session's sampling); default the runner's.
   */
  run(ctx: CallContext, options?: { client?: ModelClient | ModelError }): Promise<RunResult>;
  /**
   * Check that `principal`'s call of `agentName` may continue run `runId`, and fetch its
   * conversation. Another principal's run is "not kept", exactly as an unknown id.
   */
  prepareResume(runId: string, agentName: string, principal: string): Promise<ResumeCheck>;
  /** Where runs are kept. */
  readonly runs: RunStore;
  /** What every call is made with. */
  readonly runDeps: RunDeps;
}

export interface RunnerDeps {
  runDeps: RunDeps;
  runs: RunStore;
  /** Without it, calls never wait. */
  slots?: RunSlots;
  /** Injected for tests. */
  now?: () => Date;
}

/** Create the runner. */
export function createRunner(deps: RunnerDeps): Runner {
  const now = deps.now ?? (() => new Date());
  const { settings } = deps.runDeps;

  const backendName = (): string => (deps.runDeps.client instanceof ModelError ? 'none' : deps.runDeps.client.backend);
  /** The result of a call cancelled before it got a slot. */
  const cancelledInLine = (record: RunRecord): RunResult =>
    noRunResult({ runId: record.run_id, agent: record.agent, model: record.model, backend: backendName(), durationMs: now().getTime() - Date.parse(record.started_at), messages: record.messages });

  /** A bug of ours must not leave the run `running` forever, nor take the server down. */
  function failedUnexpectedly(record: RunRecord, error: unknown): RunResult {
    deps.runDeps.logger.error({ run_id: record.run_id, agent: record.agent, err: error }, 'run failed unexpectedly');
    return internalErrorResult({ runId: record.run_id, agent: record.agent, model: record.model, backend: backendName(), durationMs: now().getTime() - Date.parse(record.started_at), messages: record.messages }, error);
  }

  /** The run to resume could not be re-read (the store went away since the resume was checked). */
  const storeUnavailable = (record: RunRecord, error: RunStoreUnavailableError): RunResult =>
    noRunResult({ runId: record.run_id, agent: record.agent, model: record.model, backend: backendName(), durationMs: now().getTime() - Date.parse(record.started_at), messages: record.messages, error: { kind: 'store_unavailable', message: error.message, advice: 'Call again with the same `resume` in a moment; nothing ran.' } });

  /** The run to continue: its conversation as checked, with the prefix and end its record keeps. */
  async function storedRun(resume: { runId: string; history: ModelMessage[] }): Promise<StoredRun> {
    const record = await deps.runs.get(resume.runId);
    return {
      messages: resume.history,
      ...(record?.prefix ? { prefix: fromStoredPrefix(record.prefix) } : {}),
      ...(record?.outcome ? { stopReason: record.outcome.stop_reason } : {}),
    };
  }

  return {
    runs: deps.runs,
    runDeps: deps.runDeps,

    async prepareResume(runId, agentName, principal) {
      let record: RunRecord | undefined;
      try {
        record = await deps.runs.get(runId);
      } catch (error) {
        if (error instanceof RunStoreUnavailableError) return { ok: false, problem: error.message };
        throw error;
      }
      if (!record || ownerOf(record) !== principal) {
        return { ok: false, problem: `No run ${runId} is kept by this server. Read agents://runs for the runs it has.` };
      }
      if (record.agent !== agentName) {
        return { ok: false, problem: `Run ${runId} belongs to agent ${record.agent}; resume it with that agent's tool.` };
      }
      if (record.status !== 'ended') {
        return { ok: false, problem: `Run ${runId} has not ended yet; wait for its result, then resume it.` };
      }
      if (record.messages.length === 0) {
        return { ok: false, problem: `Run ${runId} has no conversation to continue (it never reached the model); start a new call instead.` };
      }
      return { ok: true, runId, history: record.messages };
    },

    async run(req, options = {}) {
      // A run carried on from a checkpoint keeps its id: one transcript, wherever it ran.
      const runId = req.checkpoints?.from?.runId ?? randomUUID();
      const model = resolveModel(req.agent.model, { aliases: settings.modelAliases, defaultModel: settings.defaultModel });
      let record: RunRecord = {
        schema_version: RUN_RECORD_SCHEMA_VERSION,
        run_id: runId,
        agent: req.agent.name,
        model,
        status: 'queued',
        prompt: req.prompt,
        ...(req.resume ? { resumed_from: req.resume.runId } : {}),
        principal: req.principal ?? LOCAL_PRINCIPAL,
        started_at: now().toISOString(),
        messages: req.checkpoints?.from?.messages ?? req.resume?.history ?? [],
      };
      let queuedSaved = false;
      const release = deps.slots
        ? await deps.slots.acquire({
            signal: req.signal,
            onQueued: (position) => {
              if (!queuedSaved) void deps.runs.save(record);
              queuedSaved = true;
              req.onEvent?.({ type: 'queued', position });
            },
          })
        : () => undefined;
      if (!release) {
        const result = cancelledInLine(record);
        await deps.runs.save(endedRecord(record, result, now()));
        return result;
      }
      try {
        record = { ...record, status: 'running' };
        await deps.runs.save(record);
        req.onEvent?.({ type: 'started', runId, agent: req.agent.name, model });
        const result = await (req.resume ? storedRun(req.resume) : Promise.resolve(undefined))
          .then((resumed) => prepareAndRun(deps.runDeps, req, { runId, ...(options.client ? { client: options.client } : {}), ...(resumed ? { resume: resumed } : {}) }))
          .catch((error: unknown) => (error instanceof RunStoreUnavailableError ? storeUnavailable(record, error) : failedUnexpectedly(record, error)));
        await deps.runs.save(endedRecord(record, result, now()));
        return result;
      } finally {
        release();
      }
    },
  };
}
