/**
 * Every tool the server offers, in the order the model sees them (a stable order keeps the
 * prompt cache warm across runs). An agent's `tools` / `disallowedTools` choose among these.
 */
import { createBashOutputTool, createTaskStopTool } from './shell/background-shell-tools.js';
import { createBashTool } from './shell/bash.js';
import type { CommandSandbox } from './shell/bash-sandbox.js';
import { createEditTool } from './files/edit.js';
import { createMultiEditTool } from './files/multi-edit.js';
import { createNotebookEditTool } from './files/notebook-edit.js';
import { createFileTools } from './files/registry.js';
import { createTodoWriteTool } from './todo/todo-write.js';
import type { Tool } from './tool.js';
import { createWebFetchTool, createWebSearchTool } from './web/web.js';
import { createWriteTool } from './files/write.js';

/** Names of every tool {@link createAllTools} makes, in order. */
export const SERVER_TOOL_NAMES: readonly string[] = [
  'Read', 'LS', 'Glob', 'Grep', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit',
  'Bash', 'BashOutput', 'TaskStop', 'TodoWrite', 'WebSearch', 'WebFetch',
];

/** Options of {@link createAllTools}. */
export interface AllToolsOptions {
  /** What `~` expands to in file tools. Default: the user's home directory. */
  homeDir?: string;
  /** Confines Bash when set. */
  sandbox?: CommandSandbox;
  /** What Bash can reach, one sentence for its description. */
  sandboxNote?: string;
}

/** Create the server's whole toolbox. */
export function createAllTools(options: AllToolsOptions = {}): Tool[] {
  const file = options.homeDir === undefined ? {} : { homeDir: options.homeDir };
  return [
    ...createFileTools(file),
    createWriteTool(file),
    createEditTool(file),
    createMultiEditTool(file),
    createNotebookEditTool(file),
    createBashTool({
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      ...(options.sandboxNote ? { sandboxNote: options.sandboxNote } : {}),
    }),
    createBashOutputTool(),
    createTaskStopTool(),
    createTodoWriteTool(),
    createWebSearchTool(),
    createWebFetchTool(),
  ];
}
