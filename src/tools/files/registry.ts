/**
 * The read-only file tools a sub-agent gets: Read, LS, Glob, Grep.
 */
import { createGlobTool } from './glob.js';
import { createGrepTool } from './grep.js';
import { createLsTool } from './ls.js';
import { createReadTool } from './read.js';
import type { LocalTool } from '../tool.js';

/** Options shared by every file tool. */
export interface FileToolsOptions {
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

/** Create Read, LS, Glob and Grep (all of kind `read`), in that order. */
export function createFileTools(options: FileToolsOptions = {}): LocalTool[] {
  return [createReadTool(options), createLsTool(options), createGlobTool(options), createGrepTool(options)];
}

export { createGlobTool, createGrepTool, createLsTool, createReadTool };
