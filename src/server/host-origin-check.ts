/**
 * DNS-rebinding protection: a page on evil.example that resolves to 127.0.0.1 reaches a
 * loopback server with `Host: evil.example` and `Origin: http://evil.example`. We accept only
 * the host names and origins this server is meant to be reached by. The SDK ships the same
 * check only as Express middleware (and deprecated transport options), so it is written out
 * here over plain headers.
 */
import { LOOPBACK_HOSTNAMES, isLoopbackHost } from '../http-config.js';

/** What the check accepts; `undefined` hosts means any Host header. */
export interface HostOriginPolicy {
  /** Host names (no port, IPv6 in brackets); undefined = any. */
  allowedHosts: readonly string[] | undefined;
  /** Exact origins; undefined = any origin whose host name is an allowed host. */
  allowedOrigins: readonly string[] | undefined;
}

/**
 * The policy for a server bound to `bindHost`: explicit lists win; a loopback server
 * defaults to the loopback names (and its own bind address); a server bound elsewhere
 * checks no Host by default, since it requires a bearer token that a rebinding page lacks.
 */
export function createHostOriginPolicy(options: { bindHost: string; allowedHosts?: readonly string[] | undefined; allowedOrigins?: readonly string[] | undefined }): HostOriginPolicy {
  const { bindHost } = options;
  let allowedHosts: readonly string[] | undefined = options.allowedHosts?.map((h) => hostnameOf(h) ?? h.toLowerCase());
  if (allowedHosts === undefined && isLoopbackHost(bindHost)) {
    const own = hostnameOf(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
    allowedHosts = [...new Set([...LOOPBACK_HOSTNAMES, ...(own ? [own] : [])])];
  }
  const allowedOrigins = options.allowedOrigins?.map((o) => originOf(o) ?? o);
  return { allowedHosts, allowedOrigins };
}

/** The lower-case host name of a Host header value (`example.com:3000` → `example.com`), or undefined if malformed. */
function hostnameOf(hostHeader: string): string | undefined {
  // A Host header is host[:port]; anything URL-like beyond that is a trick, not a host.
  if (/[/\\@?#\s]/.test(hostHeader)) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Check a request's Host and Origin headers against `policy`.
 * @returns the reason to refuse the request (answer 403), or undefined to let it through.
 */
export function checkHostAndOrigin(headers: { host?: string | undefined; origin?: string | undefined }, policy: HostOriginPolicy): string | undefined {
  if (policy.allowedHosts !== undefined) {
    if (!headers.host) return 'Missing Host header';
    const hostname = hostnameOf(headers.host);
    if (hostname === undefined || !policy.allowedHosts.includes(hostname)) return `Invalid Host header: ${headers.host}`;
  }
  // Requests from programs carry no Origin; browsers always send one on cross-origin POSTs.
  if (headers.origin === undefined) return undefined;
  const origin = originOf(headers.origin);
  if (origin === undefined) return `Invalid Origin header: ${headers.origin}`;
  if (policy.allowedOrigins !== undefined) return policy.allowedOrigins.includes(origin) ? undefined : `Invalid Origin header: ${headers.origin}`;
  if (policy.allowedHosts !== undefined) {
    const hostname = new URL(origin).hostname;
    return policy.allowedHosts.includes(hostname) ? undefined : `Invalid Origin header: ${headers.origin}`;
  }
  return undefined;
}
