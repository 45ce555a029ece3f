/**
 * What a person sees when they start the stdio server in a terminal (`npm start`, or
 * `agents-mcp` typed by hand): what this is, how to hand it to Claude Code or Claude Desktop, how
 * to try an agent here, and what it found. On stderr: stdout belongs to MCP.
 */
import pc from 'picocolors';

/** What the banner reports. */
export interface BannerInfo {
  version: string;
  /** How to start this server again: `node /abs/dist/cli.js`. */
  command: string[];
  /** The folders served, highest precedence first. */
  agentDirs: readonly string[];
  /** Whether those folders were given with `--agents` (else found by discovery). */
  explicitDirs: boolean;
  /** Whether the folder served is the package's bundled examples. */
  bundled: boolean;
  /** Agents served, or why the count is unknown. */
  agentCount: number | string;
  /** The environment variable holding Anthropic credentials, or undefined when none is set. */
  credentials: 'ANTHROPIC_API_KEY' | 'ANTHROPIC_AUTH_TOKEN' | undefined;
  color: boolean;
}

/** Quote an argument for a POSIX shell when it needs it. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The banner text, ending with a newline. */
export function formatBanner(info: BannerInfo): string {
  const c = pc.createColors(info.color);
  const agentArgs = info.agentDirs.flatMap((d) => ['--agents', d]);
  const serve = [...info.command, ...agentArgs];
  const [exe = 'node', ...args] = serve;
  const keyEnv = info.credentials ?? 'ANTHROPIC_API_KEY';
  const where = info.agentDirs.join(', ');
  const count = typeof info.agentCount === 'number' ? `${info.agentCount} agent${info.agentCount === 1 ? '' : 's'}` : info.agentCount;
  const source = info.bundled ? ' (the bundled examples; --agents DIR serves yours)' : info.explicitDirs ? '' : ' (found from the working directory)';
  const model = info.credentials
    ? `${c.green(info.credentials)} is set: agents run on the Anthropic API`
    : `${c.yellow('no ANTHROPIC_API_KEY')}: agents run only for clients that offer MCP sampling; set the key to run them anywhere`;
  const desktop = JSON.stringify({ agents: { command: exe, args, env: { [keyEnv]: '…' } } });
  return [
    `${c.bold(`agents-mcp ${info.version}`)} is an MCP server on stdio, waiting for an MCP client to connect.`,
    `It does not read what you type here: add it to a client instead.`,
    '',
    `  ${c.dim('agents')}  ${count} from ${where}${source}`,
    `  ${c.dim('model')}   ${model}`,
    '',
    c.bold('Add it to Claude Code:'),
    `  claude mcp add agents --env ${keyEnv}=… -- ${serve.map(shellQuote).join(' ')}`,
    c.bold('Add it to Claude Desktop') + ' (claude_desktop_config.json, inside "mcpServers"):',
    `  ${desktop.slice(1, -1)}`,
    c.bold('Try an agent in this terminal:'),
    `  ${[...info.command, 'run', '<agent>', '"<task>"', ...agentArgs].map((a) => (a.startsWith('<') || a.startsWith('"') ? a : shellQuote(a))).join(' ')}`,
    `  ${c.dim(`(${[...info.command, 'list', ...agentArgs].map(shellQuote).join(' ')} shows the agents)`)}`,
    '',
    c.dim('Ctrl-C quits.'),
    '',
  ].join('\n');
}
