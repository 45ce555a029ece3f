/**
 * Folders on disk for the loader campaign: one of good agents (real corpus files), and one of
 * hostile entries — fuzzed files, the named worst cases, and what a file system can hold that
 * is not a plain file (a FIFO, a folder named like a file, dangling and looping symlinks, a
 * file that fails to read).
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { parseAgentText } from '../../src/agents/parse-agent.js';
import { goodAgent, hostileFiles, mutatedFileArb, readCorpus } from './agent-file-mutations.js';

/** What loading a hostile entry must give: served, a skip whose reason matches, or anything well-formed. */
export type EntryOutcome = 'served' | RegExp | 'any';

/** One entry written into the hostile folder. */
export interface HostileEntry {
  file: string;
  outcome: EntryOutcome;
}

/** True when this process can be kept out of a file by its permission bits (not root). */
export const PERMISSIONS_APPLY = process.getuid?.() !== 0;

/**
 * Copy `count` corpus files with distinct tool names into `dir`. Returns their tool names.
 * They are the agents that must keep being served whatever lies beside them.
 */
export async function writeGoodFolder(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names = new Set<string>();
  for (const { rel, text } of readCorpus()) {
    if (names.size >= count) break;
    const result = parseAgentText(`/x/${rel}`, text);
    if (result.kind !== 'agent' || result.agent.warnings.length > 0 || names.has(result.agent.toolName)) continue;
    names.add(result.agent.toolName);
    await writeFile(path.join(dir, path.basename(rel)), text);
  }
  return [...names].sort();
}

/**
 * Fill `dir` with `fuzzedCount` fuzzed corpus files (seeded), the named worst cases and the
 * special entries. Returns every entry with the outcome it must have.
 */
export async function writeHostileFolder(dir: string, options: { fuzzedCount: number; seed: number }): Promise<HostileEntry[]> {
  await mkdir(dir, { recursive: true });
  const entries: HostileEntry[] = [];
  const add = async (name: string, content: string | Buffer, outcome: EntryOutcome): Promise<void> => {
    const file = path.join(dir, name);
    await writeFile(file, content);
    entries.push({ file, outcome });
  };

  const fuzzed = fc.sample(mutatedFileArb(readCorpus()), { seed: options.seed, numRuns: options.fuzzedCount });
  for (const [i, sample] of fuzzed.entries()) await add(`fuzz-${String(i).padStart(4, '0')}.md`, sample.text, 'any');

  for (const h of hostileFiles()) {
    const big = Buffer.byteLength(typeof h.text === 'string' ? h.text : '') > 1024 * 1024;
    // On disk the 1 MiB cap comes first; in process these are served.
    await add(h.name, h.text, big ? /over the \d+-byte limit/ : h.expect);
  }

  // A FIFO: opening it to read would block until a writer comes, so it must never be read.
  const fifo = path.join(dir, 'fifo.md');
  execFileSync('mkfifo', [fifo]);
  entries.push({ file: fifo, outcome: /not a regular file/ });

  // A folder named like an agent file is a folder: what is inside is loaded.
  await mkdir(path.join(dir, 'folder.md'));
  await add('folder.md/inside-folder.md', goodAgent('inside-folder'), 'served');

  const link = async (name: string, target: string, outcome: EntryOutcome): Promise<void> => {
    const file = path.join(dir, name);
    await symlink(target, file);
    entries.push({ file, outcome });
  };
  await link('dangling.md', path.join(dir, 'no-such-file.md'), /ENOENT/);
  await link('loop-self.md', path.join(dir, 'loop-self.md'), /ELOOP/);
  await link('loop-a.md', path.join(dir, 'loop-b.md'), /ELOOP/);
  await link('loop-b.md', path.join(dir, 'loop-a.md'), /ELOOP/);
  // Unreadable even for root: stat says "regular file", read says EIO.
  await link('proc-mem.md', '/proc/self/mem', /EIO/);
  // A symlinked folder is not followed (so no loop through it), and is not a file either.
  await symlink(dir, path.join(dir, 'linked-folder.md'));

  if (PERMISSIONS_APPLY) {
    await add('unreadable.md', goodAgent('unreadable'), /EACCES/);
    await chmod(path.join(dir, 'unreadable.md'), 0o000);
  }
  return entries;
}
