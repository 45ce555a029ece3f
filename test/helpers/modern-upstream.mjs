#!/usr/bin/env node
/**
 * A 2026-only upstream MCP server for the tests (the tools of modern-upstream-server.mjs) over real
 * stdio through `serveStdio` with `legacy: 'reject'`: it answers `server/discover` and refuses the
 * 2025 `initialize` handshake, so a 2025-only client cannot use it at all.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createModernServer } from './modern-upstream-server.mjs';

serveStdio(({ era }) => createModernServer(era), { legacy: 'reject' });
