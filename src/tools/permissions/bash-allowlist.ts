/**
 * `--allow-bash PATTERN`: which commands run without asking.
 *
 * A pattern is a prefix (`npm test` allows `npm test` and `npm test -- --watch`, not `npm testify`;
 * Claude Code's `npm test:*` and `Bash(npm test:*)` mean the same) or, when it holds `*` or `?`, a
 * glob over one whole simple command (`*` = any characters, `?` = one).
 *
 * A command is read with bash's grammar (bash-syntax.ts) and pre-approved only when the parser
 * understood all of it, every node of its tree is one this file knows to be harmless, and every
 * simple command matches a pattern. What is understood: simple commands joined by `;`, newlines,
 * `&&`, `||` and `|`; words, '…' and "…" strings without expansions; `N>&M`, and `>`/`>>` to
 * /dev/null. Everything else — comments, `$'…'`, `$"…"`, expansions, `$( )`, backticks, `<( )`,
 * here-docs and here-strings, other redirections (`>&WORD`, `&>`, `<`, a file), variable
 * assignments and env prefixes, subshells, groups, functions, loops, `&` — and every program that
 * runs its arguments as a command (eval, exec, bash -c, xargs, env, sudo, find -exec, …) is not
 * pre-approved: it is asked, or refused when the client cannot ask.
 */
import { readBashSyntax, type SyntaxNode } from './bash-syntax.js';

/** One simple command: its text as written (from the program name on) and its words, unquoted. */
export interface SimpleCommand {
  text: string;
  words: string[];
}

/** A command's simple commands, or why it cannot be pre-approved. */
export type CommandAnalysis = { ok: true; commands: SimpleCommand[] } | { ok: false; reason: string };

/**
 * Whether `--allow-bash` lets a command through (with every word of it, for the protected-path
 * check), and if not, the rule that stopped it.
 */
export type PreApproval = { approved: true; words: string[] } | { approved: false; reason: string };

/** Longest command judged for pre-approval; a longer one is asked about. */
export const MAX_PRE_APPROVED_CHARS = 10_000;

/**
 * Programs that run (part of) their arguments as a command, or hand the shell to someone else:
 * a prefix naming them would allow anything, so they are never pre-approved.
 */
const RUNS_ITS_ARGUMENTS: ReadonlySet<string> = new Set([
  'eval', 'exec', 'source', '.', 'command', 'builtin', 'env', 'xargs', 'sudo', 'doas', 'su', 'runuser',
  'nohup', 'nice', 'ionice', 'timeout', 'time', 'stdbuf', 'setsid', 'chroot', 'unshare', 'nsenter',
  'flock', 'watch', 'parallel', 'script', 'strace', 'ltrace', 'trap', 'coproc', 'alias',
  'bash', 'sh', 'dash', 'zsh', 'ksh', 'mksh', 'fish', 'csh', 'tcsh', 'busybox',
]);

/** `find` actions that run a command or write a file. */
const FIND_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls']);

/**
 * Text bash reads differently from what a glance suggests; refused before parsing as well, so a
 * place where the grammar and bash disagree cannot hide them.
 */
const RISKY_TEXT: ReadonlyArray<[RegExp, string]> = [
  [/[\0-\x08\x0b-\x1f\x7f]/, 'it holds control characters'],
  [/\\\r?\n/, 'it continues a line with a backslash'],
  [/\$'/, "it uses an ANSI-C string ($'…')"],
  [/\$"/, 'it uses a locale string ($"…")'],
  [/`/, 'it uses command substitution (backticks)'],
  [/\$\(/, 'it uses command or arithmetic substitution ($( ))'],
  [/[<>]\(/, 'it uses process substitution (<( ) or >( ))'],
  [/\$[[{]/, 'it uses a parameter or arithmetic expansion (${ } or $[ ])'],
];

/** Node types that are words or parts of words with nothing expanded or run. */
const PLAIN_WORD_TYPES = new Set(['word', 'raw_string', 'number', 'string_content']);

/** Operators between simple commands that only sequence or pipe them. */
const JOINERS = new Set([';', '&&', '||', '|']);

/** Why a node type is not pre-approved, in the refusal's words. */
const DESCRIBED: Readonly<Record<string, string>> = {
  comment: 'it holds a comment',
  ansi_c_string: "it uses an ANSI-C string ($'…')",
  translated_string: 'it uses a locale string ($"…")',
  simple_expansion: 'it expands a variable',
  expansion: 'it uses a parameter expansion',
  command_substitution: 'it uses command substitution',
  process_substitution: 'it uses process substitution',
  arithmetic_expansion: 'it uses arithmetic expansion',
  brace_expression: 'it uses brace expansion',
  heredoc_redirect: 'it uses a here-document',
  herestring_redirect: 'it uses a here-string',
  variable_assignment: 'it assigns a variable (an environment prefix can change what a command does)',
  variable_assignments: 'it assigns variables',
  declaration_command: 'it declares variables',
  unset_command: 'it unsets variables',
  subshell: 'it uses a subshell',
  compound_statement: 'it uses a command group',
  function_definition: 'it defines a function',
  negated_command: 'it negates a command (!)',
  test_command: 'it uses a test expression ([[ ]])',
  '&': 'it runs a command in the background (&)',
  '|&': 'it pipes standard error (|&)',
};

function describeNode(node: SyntaxNode): string {
  return DESCRIBED[node.type] ?? `it uses shell syntax that is not pre-approved (${node.isNamed ? node.type : JSON.stringify(node.type)})`;
}

/** The command's simple commands, or the first reason it cannot be pre-approved. */
export async function analyzeCommand(command: string): Promise<CommandAnalysis> {
  if (command.length > MAX_PRE_APPROVED_CHARS) return { ok: false, reason: `it is longer than ${MAX_PRE_APPROVED_CHARS} characters` };
  for (const [pattern, reason] of RISKY_TEXT) if (pattern.test(command)) return { ok: false, reason };
  return readBashSyntax(command, (root) => {
    if (root.hasError) return { ok: false, reason: 'bash would not parse it as written (a syntax error or an unterminated quote)' };
    const commands: SimpleCommand[] = [];
    const reason = checkStatements(root, commands);
    return reason === undefined ? { ok: true, commands } : { ok: false, reason };
  });
}

/** Statements joined by `;`, newlines, `&&`, `||`, `|` (a program, list or pipeline). */
function checkStatements(node: SyntaxNode, commands: SimpleCommand[]): string | undefined {
  for (const child of children(node)) {
    if (!child.isNamed) {
      if (!JOINERS.has(child.type)) return describeNode(child);
      continue;
    }
    const reason = checkStatement(child, commands);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function checkStatement(node: SyntaxNode, commands: SimpleCommand[]): string | undefined {
  switch (node.type) {
    case 'list':
    case 'pipeline':
      return checkStatements(node, commands);
    case 'redirected_statement': {
      // Bash runs a bare redirection as a command of its own; the grammar hangs it off the statement.
      if (children(node).every((c) => c.type.endsWith('_redirect'))) return 'it has a redirection without a command';
      for (const child of children(node)) {
        const reason = child.type === 'file_redirect' ? checkRedirect(child) : checkStatement(child, commands);
        if (reason !== undefined) return reason;
      }
      return undefined;
    }
    case 'command':
      return checkCommand(node, commands);
    default:
      return describeNode(node);
  }
}

function checkCommand(node: SyntaxNode, commands: SimpleCommand[]): string | undefined {
  const words: string[] = [];
  for (const child of children(node)) {
    if (child.type === 'file_redirect') {
      const reason = checkRedirect(child);
      if (reason !== undefined) return reason;
    } else if (child.type === 'command_name') {
      const name = children(child);
      if (name.length !== 1 || name[0]!.type !== 'word') return 'its command name is not a plain word';
      words.push(unquote(name[0]!.text));
    } else {
      const reason = checkWord(child);
      if (reason !== undefined) return reason;
      words.push(unquote(child.text));
    }
  }
  const program = words[0]?.split('/').at(-1);
  if (program === undefined) return 'it has a redirection without a command';
  if (RUNS_ITS_ARGUMENTS.has(program)) return `\`${program}\` runs its arguments as a command, so no pattern pre-approves it`;
  if (program === 'find' && words.some((w) => FIND_ACTIONS.has(w))) return '`find` with an action that runs a command or writes a file (-exec, -delete, …)';
  commands.push({ text: commandText(node), words });
  return undefined;
}

/** A word: plain text, '…', "…" without expansions, or a concatenation of those. */
function checkWord(node: SyntaxNode): string | undefined {
  // An unquoted brace makes bash expand a word into several (the grammar does not always say so).
  if (node.type === 'word' && /[{}]/.test(node.text)) return DESCRIBED['brace_expression'];
  if (PLAIN_WORD_TYPES.has(node.type)) return undefined;
  if (node.type === 'string' || node.type === 'concatenation') {
    for (const child of children(node)) {
      if (child.type === '"' && node.type === 'string') continue;
      const reason = checkWord(child);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
  return describeNode(node);
}

/** Only redirections that write nowhere new: `N>&M` (digits) and `>`/`>>` to /dev/null. */
function checkRedirect(node: SyntaxNode): string | undefined {
  let op: string | undefined;
  let target: SyntaxNode | undefined;
  for (const child of children(node)) {
    if (child.type === 'file_descriptor') continue;
    if (!child.isNamed) op = child.type;
    else target = child;
  }
  if (op === '>&' && target?.type === 'number' && /^\d+$/.test(target.text)) return undefined;
  if ((op === '>' || op === '>>') && target?.type === 'word' && target.text === '/dev/null') return undefined;
  return `it redirects to or from a file (\`${node.text}\`); only N>&M and >/dev/null are pre-approved`;
}

/** The command as written, without redirections placed before its name. */
function commandText(node: SyntaxNode): string {
  const name = node.childForFieldName('name');
  return name === null ? node.text : node.text.slice(name.startIndex - node.startIndex);
}

/** What bash makes of a word's quotes and backslashes, for recognizing a program by name. */
function unquote(word: string): string {
  return word.replace(/\\(.)/gs, '$1').replace(/["']/g, '');
}

function children(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

/** `Bash(npm test:*)` → `npm test:*`; other patterns unchanged (trimmed). */
function unwrapPattern(pattern: string): string {
  const p = pattern.trim();
  const wrapped = /^Bash\((.*)\)$/s.exec(p);
  return (wrapped?.[1] ?? p).trim();
}

/** Does one simple command match one pattern (prefix, `prefix:*`, or glob)? */
export function matchesAllowPattern(simpleCommand: string, pattern: string): boolean {
  const p = unwrapPattern(pattern);
  if (p === '') return false;
  if (p.endsWith(':*')) return matchesPrefix(simpleCommand, p.slice(0, -2).trimEnd());
  if (p.includes('*') || p.includes('?')) return globToRegExp(p).test(simpleCommand);
  return matchesPrefix(simpleCommand, p);
}

function matchesPrefix(command: string, prefix: string): boolean {
  if (prefix === '') return false;
  return command === prefix || (command.startsWith(prefix) && /\s/.test(command.charAt(prefix.length)));
}

function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[\\^$.|+(){}[\]]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** Whether every simple command of `command` matches one of `patterns`, and if not, why. */
export async function checkPreApproval(command: string, patterns: readonly string[]): Promise<PreApproval> {
  if (patterns.length === 0) return { approved: false, reason: 'the server has no --allow-bash patterns' };
  const analysis = await analyzeCommand(command);
  if (!analysis.ok) return { approved: false, reason: analysis.reason };
  if (analysis.commands.length === 0) return { approved: false, reason: 'it holds no command' };
  const unmatched = analysis.commands.find((simple) => !patterns.some((pattern) => matchesAllowPattern(simple.text, pattern)));
  if (unmatched !== undefined) return { approved: false, reason: `\`${shorten(unmatched.text)}\` matches no --allow-bash pattern` };
  return { approved: true, words: analysis.commands.flatMap((c) => c.words) };
}

/**
 * A pattern to suggest in a refusal (`--allow-bash '…'`): the command's first simple command,
 * shell-quoted, or `undefined` when there is nothing sensible to suggest (the command cannot be
 * pre-approved at all, or is long).
 */
export async function suggestAllowPattern(command: string): Promise<string | undefined> {
  const analysis = await analyzeCommand(command);
  const first = analysis.ok ? analysis.commands[0]?.text : undefined;
  if (first === undefined || first.length > 80) return undefined;
  return `'${first.replace(/'/g, `'\\''`)}'`;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
