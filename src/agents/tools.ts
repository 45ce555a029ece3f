/** Parsing `tools:` / `disallowedTools:` values: splitting, legacy names, unknown names. */

/**
 * Claude Code built-in tool names (format doc §2, `BUILTIN_TOOL_NAMES` of the agent SDK, plus
 * `TaskOutput` from the tools reference).
 */
export const BUILTIN_TOOL_NAMES: ReadonlySet<string> = new Set([
  'Agent', 'Artifact', 'AskUserQuestion', 'Bash', 'ClaudeDesign', 'CronCreate', 'CronDelete', 'CronList',
  'Edit', 'EndConversation', 'EnterPlanMode', 'EnterWorktree', 'ExitPlanMode', 'ExitWorktree', 'Glob', 'Grep',
  'ListAgents', 'ListMcpResourcesTool', 'LSP', 'Monitor', 'NotebookEdit', 'OfferChromeSetup', 'PowerShell',
  'Projects', 'propose_skills', 'PushNotification', 'Read', 'ReadMcpResourceDirTool', 'ReadMcpResourceTool',
  'ReadNotifications', 'RemoteTrigger', 'ReportFindings', 'ScheduleWakeup', 'SendFeedback', 'SendMessage',
  'SendUserFile', 'SendUserMessage', 'SetGoal', 'ShareOnboardingGuide', 'ShowOnboardingRolePicker', 'Skill',
  'SubagentHandback', 'TaskCreate', 'TaskGet', 'TaskList', 'TaskOutput', 'TaskStop', 'TaskUpdate', 'TodoWrite',
  'ToolSearch', 'WaitForMcpServers', 'WebFetch', 'WebSearch', 'Workflow', 'Write',
]);

/** Names of removed tools that older agent files list; valid, kept as written (no alias exists). */
export const RETIRED_TOOL_NAMES: ReadonlySet<string> = new Set(['MultiEdit', 'LS', 'BashOutput', 'NotebookRead', 'TodoRead']);

/** Old names and what they are called today (the agent SDK's alias map, format doc §2). */
export const LEGACY_TOOL_ALIASES: Readonly<Record<string, string>> = {
  Task: 'Agent',
  KillShell: 'TaskStop',
  KillBash: 'TaskStop',
  ListPeers: 'ListAgents',
  Brief: 'SendUserMessage',
  ListMcpResources: 'ListMcpResourcesTool',
  ReadMcpResource: 'ReadMcpResourceTool',
  ReadMcpResourceDir: 'ReadMcpResourceDirTool',
  ProposeGoal: 'SetGoal',
};

/** The result of reading one tool list. */
export interface ToolList {
  /** Mapped, deduplicated names; `undefined` when the field is absent or empty. */
  tools?: string[];
  /** Non-fatal problems, one sentence each. */
  problems: ToolListProblem[];
}

/** A problem with one tool list. */
export interface ToolListProblem {
  reason: string;
  code: 'unknown-tool' | 'field-value';
}

/** `Name` or `Name(args)`; args may hold commas (`Agent(a, b)`) or patterns (`Bash(git:*)`). */
const ENTRY = /^([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\(([\s\S]*)\))?$/;

/** True for a built-in, a retired-but-valid name, or an MCP tool (`mcp__server…`). */
export function isKnownToolName(name: string): boolean {
  return BUILTIN_TOOL_NAMES.has(name) || RETIRED_TOOL_NAMES.has(name) || name.startsWith('mcp__');
}

/** Split on commas that are not inside parentheses, so `Agent(a, b), Read` is two entries. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1).trim();
  return t;
}

/** Map one entry to today's name; returns the name and, for an unknown one, a problem. */
function normalizeEntry(entry: string, field: string): { name: string; problem?: ToolListProblem } {
  const match = ENTRY.exec(entry);
  if (!match?.[1]) {
    return { name: entry, problem: { code: 'unknown-tool', reason: `${field}: '${entry}' is not a tool name; kept as written` } };
  }
  const base = LEGACY_TOOL_ALIASES[match[1]] ?? match[1];
  const args = match[2];
  let name = base;
  if (args !== undefined) {
    // Agent(x, y) lists spawnable agent types: normalize the spacing. Other arguments are
    // permission patterns (`Bash(git:*)`) whose spacing may matter, so they stay as written.
    name = base === 'Agent' ? `Agent(${splitTopLevel(args).map((a) => a.trim()).filter(Boolean).join(', ')})` : `${base}(${args})`;
  }
  if (!isKnownToolName(base)) {
    const reason = `${field}: '${name}' is not a Claude Code built-in tool or an mcp__ tool; kept as written`;
    return { name, problem: { code: 'unknown-tool', reason } };
  }
  return { name };
}

/**
 * Read a `tools`-style field: a comma-separated string or a YAML list (items may themselves hold
 * commas). Legacy names are mapped (Task → Agent, KillBash → TaskStop, …, `Task(a, b)` →
 * `Agent(a, b)`), duplicates dropped, unknown names kept with a problem. Absent, `null`, empty
 * string, empty list, or a lone `*` → `tools: undefined` ("inherit all").
 */
export function parseToolList(value: unknown, field = 'tools'): ToolList {
  const problems: ToolListProblem[] = [];
  const fieldProblem = (reason: string): void => {
    problems.push({ code: 'field-value', reason });
  };
  if (value === undefined || value === null) return { problems };
  let raw: string[];
  if (typeof value === 'string') raw = splitTopLevel(value);
  else if (Array.isArray(value)) {
    raw = [];
    for (const item of value) {
      if (typeof item === 'string') raw.push(...splitTopLevel(item));
      else if (typeof item === 'number') raw.push(String(item));
      else if (item !== null && item !== undefined) fieldProblem(`${field}: an entry that is not text was ignored`);
    }
  } else {
    fieldProblem(`${field} must be a comma-separated string or a list; the value was ignored`);
    return { problems };
  }
  const entries = raw.map(unquote).filter((entry) => entry !== '');
  if (entries.length === 1 && entries[0] === '*') {
    fieldProblem(`${field}: '*' is not a Claude Code convention; read as "no list" (inherit all tools)`);
    return { problems };
  }
  const names: string[] = [];
  for (const entry of entries) {
    const { name, problem } = normalizeEntry(entry, field);
    if (names.includes(name)) continue;
    names.push(name);
    if (problem !== undefined) problems.push(problem);
  }
  return names.length === 0 ? { problems } : { tools: names, problems };
}
