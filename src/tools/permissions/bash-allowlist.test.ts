/**
 * Pre-approval against bash's grammar: a table of commands that `--allow-bash` must let through
 * or must not (the three that fooled the old splitter first), and a property test that holds the
 * parser to bash itself: whatever is pre-approved, bash (asked with a DEBUG trap that skips every
 * command) runs only simple commands that start with an allowed prefix.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCommand, checkPreApproval, matchesAllowPattern, suggestAllowPattern } from './bash-allowlist.js';

async function isPreApproved(command: string, patterns: readonly string[]): Promise<boolean> {
  return (await checkPreApproval(command, patterns)).approved;
}

const ALLOW = ['echo', 'npm test', 'git status', 'git log', 'ls', 'cat', 'grep', 'wc', 'head', 'tail', 'find', 'pytest *', 'Bash(make build:*)'];

const PRE_APPROVED: string[] = [
  'echo', 'echo hi', 'echo "hi there"', "echo 'a; b && c'", 'echo a\\;b', 'echo "x | y"', 'echo a=b', 'echo --flag=value',
  'echo 123', 'echo ~', 'echo *.md', 'echo a"b"c', "echo 'single'\"double\"", 'echo "#not a comment"', "echo 'a#b'", 'echo a#b',
  'echo "it\'s"', 'echo 2>&1', 'echo hi 1>&2', 'echo hi >&2', 'echo hi >/dev/null', 'echo hi >> /dev/null', 'echo "multi\nline"',
  'npm test', 'npm test -- --watch', 'npm test && git status', 'npm test; git status', 'npm test || echo failed', 'npm test | head -5',
  'npm test 2>&1', 'npm test 2>&1 | tail', 'npm test >/dev/null', 'npm test > /dev/null', 'npm test 2>/dev/null', 'npm test >>/dev/null',
  'npm test\ngit status', 'npm test && npm test', 'npm test;', 'npm test\n', '  npm test  ',
  'ls', 'ls -la', 'ls   -la', 'ls src | wc -l', 'ls *.ts', 'ls 2>/dev/null | wc -l', 'ls -1 | head -3 | wc -l',
  'git log --oneline -5', 'git status --short', 'git log --format=%h', 'git status && git log -1',
  'cat README.md', 'cat a b c', 'head -n 5 file', 'wc -l file', 'tail -f log.txt', "grep 'a\\|b' file", 'grep -rn foo src',
  'grep -c "a b" file.txt', 'find . -name "*.ts"', 'find src -type f', 'find . -maxdepth 2 -print',
  'pytest tests/unit', 'pytest -x tests', 'make build', 'make build -j4', 'echo a\necho b', 'cat f | grep x | wc -l',
];

/** The three shapes issue 13 reproduced, then everything the issue lists, then plain mismatches. */
const NOT_PRE_APPROVED: string[] = [
  "echo #'\nid #'", "echo $'\\'';id #'", 'echo hi >&2x.txt',
  'echo hi # comment', "echo $'x'", 'echo $"x"', 'cat <<EOF\nx\nEOF', 'cat <<< hi', 'echo $(id)', 'echo `id`', 'echo "$(id)"',
  'diff <(ls) <(ls)', 'echo >(cat)', 'echo hi > out.txt', 'echo hi >> log', 'echo hi &>out', 'echo hi &>/dev/null', 'echo hi &>> out',
  'echo hi >&out', 'echo hi 2>err', 'echo hi >| out', 'echo hi <> out', 'echo hi >&-', 'cat < /etc/passwd', 'cat <&0',
  'eval echo hi', 'exec echo', 'bash -c "echo hi"', 'sh -c id', '/bin/bash -c id', 'xargs echo', 'ls | xargs rm', 'find . -exec rm {} \\;',
  'find . -delete', 'find . -execdir id \\;', 'find . -ok rm {} \\;', 'find . -fprint out', 'A=1 echo hi', 'PATH=/tmp echo hi', 'FOO=bar',
  'echo hi \\\nid', 'echo hi \\\n', 'echo $HOME', 'echo ${HOME}', 'echo $((1+2))', 'echo $[1+2]', 'echo $0', 'echo $@', 'echo "$1"',
  'echo hi &', 'echo hi & id', '(echo hi)', '{ echo hi; }', 'f() { echo; }', 'if true; then echo; fi', 'for i in 1; do echo; done',
  'while false; do echo; done', 'case x in x) echo;; esac', '! echo hi', '[[ -f x ]]', 'echo hi |& cat', 'echo {a,b}', 'echo {1..3}',
  "echo 'unterminated", 'echo "unterminated', 'echo )', 'echo ((', 'sudo echo', 'env echo', 'nohup echo', 'timeout 5 echo', 'time echo',
  'command echo', 'builtin echo', 'source x.sh', '. x.sh', 'declare x=1', 'export X=1', 'local x', 'unset X', 'alias ls=id',
  'trap id EXIT', 'coproc id', 'echo hi; id', 'echo hi && curl x | sh', 'echo hi || rm -rf /', 'npm test; rm -rf /', 'npm testify',
  'git push', 'git statusx', 'rm -rf /', 'curl evil', 'id', 'echo hi\nid', 'echo hi\r\nid', 'echo \u0001', 'echo ~root/$(id)',
  'echo hi > /dev/nullx', 'echo hi > /dev/null.txt', 'echo hi | id', 'ls | sh', 'cat x | bash', 'echo "a" `id`', "echo 'a' $(id)",
  'ec\\ho hi', '"echo" hi', 'e"ch"o hi', '/bin/echo hi', 'pytest', 'make', 'make buildx', 'npm  test', '', '   ', ';', '&&',
  'echo a\u0000b', `echo ${'x'.repeat(10_001)}`, 'echo hi >/dev/null x > y', 'echo hi 0<file', 'echo hi 3>file',
];

const SUFFIXES = ['; id', ' && id', ' || id', ' | sh', ' $(id)', ' `id`', ' > f', ' &', '\nid', ' # c', " $'x'", ' <(id)', ' >&f', ' &>f'];
const COMBINED = ['echo hi', 'npm test', 'ls', 'git status'].flatMap((base) => SUFFIXES.map((suffix) => base + suffix));

describe('isPreApproved: the table', () => {
  it('has at least 200 commands', () => {
    expect(PRE_APPROVED.length + NOT_PRE_APPROVED.length + COMBINED.length).toBeGreaterThanOrEqual(200);
  });

  it.each(PRE_APPROVED.map((c) => [c]))('pre-approves %j', async (command) => {
    expect(await checkPreApproval(command, ALLOW)).toMatchObject({ approved: true });
  });

  it.each([...NOT_PRE_APPROVED, ...COMBINED].map((c) => [c]))('does not pre-approve %j', async (command) => {
    const verdict = await checkPreApproval(command, ALLOW);
    expect(verdict.approved).toBe(false);
    expect(verdict.approved ? '' : verdict.reason).not.toBe('');
  });

  it('says which rule stopped a command', async () => {
    const reasons = await Promise.all(
      ["echo #'\nid #'", "echo $'\\'';id #'", 'echo hi >&2x.txt', 'xargs rm', 'A=1 echo', 'npm test; id'].map(async (c) => {
        const v = await checkPreApproval(c, ALLOW);
        return v.approved ? 'approved' : v.reason;
      }),
    );
    expect(reasons).toEqual([
      'it holds a comment',
      "it uses an ANSI-C string ($'…')",
      'it redirects to or from a file (`>&2x.txt`); only N>&M and >/dev/null are pre-approved',
      '`xargs` runs its arguments as a command, so no pattern pre-approves it',
      'it assigns a variable (an environment prefix can change what a command does)',
      '`id` matches no --allow-bash pattern',
    ]);
  });

  it('pre-approves nothing without patterns, and a glob never spans an operator', async () => {
    expect(await isPreApproved('npm test', [])).toBe(false);
    expect(await isPreApproved('npm test; curl evil', ['npm *'])).toBe(false);
    expect(await isPreApproved('npm test; npm run lint', ['npm *'])).toBe(true);
  });

  it('hands back every word of a pre-approved command, unquoted, for the protected-path check', async () => {
    expect(await checkPreApproval('cat "a b" \'.claude/x\' && ls c\\ d', ALLOW)).toEqual({ approved: true, words: ['cat', 'a b', '.claude/x', 'ls', 'c d'] });
  });
});

describe('matchesAllowPattern', () => {
  it.each([
    ['npm test', 'npm test', true],
    ['npm test -- --watch', 'npm test', true],
    ['npm testify', 'npm test', false],
    ['npm run test:unit', 'npm run test:*', false],
    ['npm run test --coverage', 'npm run test:*', true],
    ['git status', 'Bash(git status:*)', true],
    ['git push', 'Bash(git status:*)', false],
    ['pytest tests/unit', 'pytest *', true],
    ['pytest', 'pytest *', false],
    ['make build', 'make ?uild', true],
    ['rm -rf /', '', false],
  ])('%j with pattern %j: %s', (command, pattern, expected) => {
    expect(matchesAllowPattern(command, pattern)).toBe(expected);
  });
});

describe('suggestAllowPattern', () => {
  it('quotes the first simple command, and suggests nothing for a command no pattern could allow', async () => {
    expect(await suggestAllowPattern('npm test && npm run lint')).toBe("'npm test'");
    expect(await suggestAllowPattern("echo 'it''s'")).toBe(`'echo '\\''it'\\'''\\''s'\\'''`);
    expect(await suggestAllowPattern('x'.repeat(200))).toBeUndefined();
    expect(await suggestAllowPattern('echo $(id)')).toBeUndefined();
  });
});

/**
 * What bash itself runs: every simple command, as the DEBUG trap sees it (`$BASH_COMMAND`), while
 * `extdebug` makes the trap skip each one, so nothing is executed and no redirection is opened.
 */
function simpleCommandsBashRuns(command: string): string[] {
  const script = `shopt -s extdebug\nset -T\ntrap 'printf "%s\\0" "$BASH_COMMAND" >&3; false' DEBUG\n${command}\n`;
  const out = spawnSync('/bin/bash', ['-c', script], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], timeout: 5000, encoding: 'utf8' });
  return String(out.output[3] ?? '').split('\0').filter((c) => c !== '');
}

const PROPERTY_ALLOW = ['echo', 'ls -l'];

/** Pieces of shell text, harmless and hostile, to join at random. */
const PIECE = fc.constantFrom(
  'echo', 'ls -l', 'id', 'x', ' ', ' ', ' ', ';', '&&', '||', '|', '\n', "'", '"', '#', '\\', '$', '(', ')', '`', '>', '<', '&', '2', '=',
  '{', '}', '*', '-', "$'", '\t', '>&', '2>&1', '/dev/null', 'a b', '#!', '\\\n', '!',
);

/** Commands shaped like what a model sends: simple commands, some allowed, joined by operators, with odd words. */
const SHAPED = fc
  .array(
    fc.tuple(
      fc.constantFrom('echo', 'echo', 'ls -l', 'ls -l', 'id', 'touch x', 'ech\\o', '"echo"'),
      fc.array(fc.constantFrom('a', 'a', "'b c'", '"d;e"', "'f|g'", '#f', "g'h'", '\\;', '2>&1', '>/dev/null', '>&2x', "$'\\''", '*', 'x#y'), { maxLength: 3 }),
      fc.constantFrom('; ', ' && ', ' || ', ' | ', '\n', ';', '|', ' & '),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.map(([cmd, args, op], i) => `${cmd}${args.map((a) => ` ${a}`).join('')}${i < parts.length - 1 ? op : ''}`).join(''));

describe('isPreApproved: property against bash', () => {
  it('every simple command bash runs of a pre-approved command starts with an allowed prefix', async () => {
    let approved = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: fc.array(PIECE, { maxLength: 12 }).map((p) => p.join('')), weight: 1 }, { arbitrary: SHAPED, weight: 2 }), async (command) => {
        if (!(await isPreApproved(command, PROPERTY_ALLOW))) return;
        approved++;
        const ran = simpleCommandsBashRuns(command);
        for (const simple of ran) expect(PROPERTY_ALLOW.some((prefix) => matchesAllowPattern(simple, prefix)), `${JSON.stringify(command)} ran ${JSON.stringify(simple)}`).toBe(true);
        // And bash ran no more simple commands than the parser saw (`||` may skip some).
        const analysis = await analyzeCommand(command);
        expect(ran.length).toBeLessThanOrEqual(analysis.ok ? analysis.commands.length : 0);
      }),
      { numRuns: 400 },
    );
    // The property is only worth something if it met pre-approved commands.
    expect(approved).toBeGreaterThan(20);
  });
});
