/**
 * The price table from the command line: `--prices FILE` and AGENTS_MCP_PRICES lay a file over
 * the built-in table (a model it adds gets a cost); a broken file stops the CLI at start, naming
 * the flag and the file.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { CLI } from '../helpers/stdio-server.js';

const KEY = 'sk-test-prices-cli-0123';
let fake: FakeAnthropic;
let dir: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  dir = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-prices-')));
  await mkdir(path.join(dir, 'agents'));
  await writeFile(path.join(dir, 'agents', 'gateway.md'), '---\nname: gateway\ndescription: Runs on a gateway model.\nmodel: my-gateway-model\ntools: Read\n---\nYou answer briefly.\n');
  await writeFile(path.join(dir, 'prices.json'), JSON.stringify({ date: '2026-12-01', models: { 'my-gateway-model': { input: 2, output: 10 } } }));
  await writeFile(path.join(dir, 'broken.json'), JSON.stringify({ date: '2026-12-01', models: { 'my-gateway-model': { input: -1, output: 10 } } }));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const cliEnv = { PATH: process.env['PATH'] ?? '', HOME: os.homedir(), NO_COLOR: '1', ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, ...env };
  const argv = [CLI, 'run', 'gateway', 'hi', '--json', '--agents', path.join(dir, 'agents'), '--workspace', dir, ...args];
  return promisify(execFile)(process.execPath, argv, { env: cliEnv }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

const MTOK = 1_000_000;

describe('prices from the command line', () => {
  it('prices a model the built-in table lacks from --prices, and from AGENTS_MCP_PRICES', async () => {
    fake.script(reply([text('Hi.')], { usage: { input_tokens: MTOK, output_tokens: MTOK } }), reply([text('Hi.')], { usage: { input_tokens: MTOK, output_tokens: 0 } }));
    const byFlag = await runCli(['--prices', path.join(dir, 'prices.json')]);
    const priced = JSON.parse(byFlag.stdout) as Record<string, unknown>;
    expect(priced).toMatchObject({ model: 'my-gateway-model', cost_usd: 12 });
    // A run without warnings carries no `warnings` field (the result stays lean).
    expect(priced['warnings']).toBeUndefined();
    const byEnv = await runCli([], { AGENTS_MCP_PRICES: path.join(dir, 'prices.json') });
    expect(JSON.parse(byEnv.stdout)).toMatchObject({ cost_usd: 2 });
    fake.assertComplete();
  });

  it('reports an unpriced model\'s cost as null with a warning', async () => {
    fake.script(reply([text('Hi.')]));
    const { stdout } = await runCli([]);
    const result = JSON.parse(stdout) as { cost_usd: unknown; warnings: string[] };
    expect(result.cost_usd).toBeNull();
    expect(result.warnings.join('\n')).toContain('No price is known for model my-gateway-model');
    fake.assertComplete();
  });

  it('stops at start on a broken price file, naming the flag, the file and the field', async () => {
    const before = fake.requests.length;
    const { code, stderr } = await runCli(['--prices', path.join(dir, 'broken.json')]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--prices: The price file .*broken\.json is not valid: models\.my-gateway-model\.input/);
    expect(fake.requests.length).toBe(before);
  });
});
