import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandEnvReferences, McpConfigError, readMcpConfigFile, readMcpConfigFiles } from './mcp-config-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('readMcpConfigFile', () => {
  it('reads stdio and remote servers in the Claude Desktop / Claude Code shape, ignoring other keys', () => {
    const file = write('ok.json', {
      globalShortcut: 'Ctrl+Space',
      mcpServers: {
        memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/tmp/m.json' }, cwd: 'sub' },
        remote: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
        legacy: { type: 'sse', url: 'http://127.0.0.1:9/sse' },
        cursor: { url: 'https://example.com/other' },
      },
    });
    expect(readMcpConfigFile(file, {})).toEqual({
      memory: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { MEMORY_FILE_PATH: '/tmp/m.json' }, cwd: path.join(dir, 'sub') },
      remote: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
      legacy: { type: 'sse', url: 'http://127.0.0.1:9/sse', headers: {} },
      cursor: { type: 'http', url: 'https://example.com/other', headers: {} },
    });
  });

  it('expands ${VAR} and ${VAR:-default} from the environment', () => {
    const file = write('env.json', { mcpServers: { s: { command: '${BIN:-node}', args: ['${HOME}/x'], env: { KEY: '${TOKEN}' } } } });
    expect(readMcpConfigFile(file, { HOME: '/home/u', TOKEN: 't0k' })).toMatchObject({ s: { command: 'node', args: ['/home/u/x'], env: { KEY: 't0k' } } });
    expect(() => readMcpConfigFile(file, { HOME: '/home/u' })).toThrow(/env\.json: mcpServers\.s\.env\.KEY: environment variable TOKEN is not set/);
  });

  it('names the file and the key of a bad entry', () => {
    const file = write('bad.json', { mcpServers: { memory: { command: 42 }, web: { type: 'http', url: 'ftp://x' }, empty: {} } });
    const message = (() => {
      try {
        readMcpConfigFile(file, {});
        return '';
      } catch (err) {
        expect(err).toBeInstanceOf(McpConfigError);
        return (err as Error).message;
      }
    })();
    expect(message).toContain(`${file}: mcpServers.memory.command:`);
    expect(message).toContain(`${file}: mcpServers.web.url: url must be an http:// or https:// URL`);
    expect(message).toContain(`${file}: mcpServers.empty.type: expected {"command", "args", "env", "cwd"} (a local server) or {"type": "http" | "sse", "url", "headers"} (a remote one)`);
  });

  it('says when the file is missing, is not JSON, lacks mcpServers or uses "__" in a name', () => {
    expect(() => readMcpConfigFile(path.join(dir, 'nope.json'), {})).toThrow(/nope\.json: cannot read the MCP config file \(ENOENT\)/);
    expect(() => readMcpConfigFile(write('notjson.json', '{ "mcpServers": '), {})).toThrow(/notjson\.json: not valid JSON/);
    expect(() => readMcpConfigFile(write('noservers.json', { servers: {} }), {})).toThrow(/noservers\.json: mcpServers:/);
    expect(() => readMcpConfigFile(write('dunder.json', { mcpServers: { a__b: { command: 'x' } } }), {})).toThrow(/must not contain "__"/);
  });
});

describe('readMcpConfigFiles', () => {
  it('merges several files and refuses a server defined twice, naming both files', () => {
    const a = write('a.json', { mcpServers: { one: { command: 'a' } } });
    const b = write('b.json', { mcpServers: { two: { command: 'b' } } });
    const c = write('c.json', { mcpServers: { one: { command: 'c' } } });
    expect(Object.keys(readMcpConfigFiles([a, b], {}))).toEqual(['one', 'two']);
    expect(() => readMcpConfigFiles([a, c], {})).toThrow(new RegExp(`c\\.json: mcpServers\\.one: server "one" is already defined in .*a\\.json`));
  });
});

describe('expandEnvReferences', () => {
  it('leaves text without references alone, and an empty default is allowed', () => {
    expect(expandEnvReferences('plain $HOME text', {}, 'k')).toBe('plain $HOME text');
    expect(expandEnvReferences('a${X:-}b', {}, 'k')).toBe('ab');
  });
});
