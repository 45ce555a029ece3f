/**
 * The public surface of agents/: what the rest of the server may use. Listed one by one
 * (no `export *`) so additions are deliberate.
 */

export type { AgentDefinition, LoadResult, ModelSpec, Problem, ProblemCode } from './definition.js';
export { buildCatalog, loadCatalog, type Catalog, type CatalogEntry, type LoadCatalogOptions, type SkippedFile } from './catalog.js';
export { findProjectAgentDir, resolveAgentDirs, type AgentDirContext } from './discover.js';
export { EFFORT_LEVELS, readEffort, type Effort } from './effort.js';
export { loadAgentFile, MAX_AGENT_FILE_BYTES, type LoadAgentFileOptions } from './load-file.js';
export {
  DEFAULT_MODEL,
  DEFAULT_MODEL_ALIASES,
  INHERIT_MODEL,
  MODEL_ALIASES,
  normalizeModelSpec,
  resolveModel,
  type ModelAlias,
  type ModelResolution,
} from './models.js';
export { parseAgentText } from './parse-agent.js';
export { MAX_TOOL_NAME_LENGTH, TOOL_NAME_PATTERN, toToolName } from './tool-name.js';
export { BUILTIN_TOOL_NAMES, isKnownToolName, LEGACY_TOOL_ALIASES, parseToolList, RETIRED_TOOL_NAMES, type ToolList } from './tools.js';
export { DEFAULT_WATCH_DEBOUNCE_MSEC, watchCatalog, type CatalogWatcher, type WatchCatalogOptions } from './watch.js';
