/**
 * The system prompt a sub-agent receives: its own prompt plus the environment details
 * Claude Code gives its subagents (working directory, platform, date) — and nothing else.
 */
import os from 'node:os';

export interface EnvironmentInfo {
  /** The run's working directory (the first workspace root). */
  cwd: string;
  /** Every directory the run may touch. */
  roots: string[];
  now: Date;
}

/** The agent's prompt followed by an `<env>` block. */
export function buildSystemPrompt(agentPrompt: string, env: EnvironmentInfo): string {
  const lines = [
    `Working directory: ${env.cwd}`,
    ...(env.roots.length > 1 ? [`Other directories you may use: ${env.roots.slice(1).join(', ')}`] : []),
    `Platform: ${os.platform()}`,
    `Today's date: ${env.now.toISOString().slice(0, 10)}`,
  ];
  return `${agentPrompt.trim()}\n\nHere is useful information about the environment you are running in:\n<env>\n${lines.join('\n')}\n</env>`;
}
