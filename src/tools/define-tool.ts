/**
 * Build a {@link LocalTool} from a zod input schema and an execute function; the wrapper parses the
 * input, checks cancellation and turns any throw into an `isError` result, so `run` never throws.
 */
import type { z } from 'zod';
import type { LocalTool, ToolContext, ToolResult } from './tool.js';
import { parseToolInput, toInputJsonSchema } from './tool-input.js';
import { errorResultFromException } from './tool-output.js';

/** What {@link defineTool} needs. */
export interface ToolSpec<S extends z.ZodType> {
  name: string;
  description: string;
  /** Zod schema of the input; its JSON Schema becomes `inputSchema`. */
  schema: S;
  kind: LocalTool['kind'];
  /** Runs with validated input. May throw: the wrapper reports the error to the model. */
  execute(input: z.output<S>, ctx: ToolContext): Promise<ToolResult>;
}

/** Wrap a {@link ToolSpec} into a {@link LocalTool} whose `run` validates input and never throws. */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): LocalTool {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: toInputJsonSchema(spec.schema),
    kind: spec.kind,
    async run(input: unknown, ctx: ToolContext): Promise<ToolResult> {
      const parsed = parseToolInput(spec.name, spec.schema, input);
      if (!parsed.ok) return parsed.result;
      if (ctx.signal.aborted) return errorResultFromException(spec.name, undefined, ctx.signal);
      try {
        return await spec.execute(parsed.data, ctx);
      } catch (err) {
        return errorResultFromException(spec.name, err, ctx.signal);
      }
    },
  };
}
