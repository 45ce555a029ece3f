import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { UpstreamCallError } from './call-errors.js';
import { classifyFailure, isOversizeError } from './classify-failure.js';

function kindOf(err: unknown): string | undefined {
  return err instanceof UpstreamCallError ? err.kind : undefined;
}

describe('classifyFailure', () => {
  const closed = new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');

  it('a connection closed after an oversized message is "too_large", saying "larger than the 10 MB"', () => {
    const oversize = new Error('ReadBuffer exceeded maximum size of 10485760 bytes');
    expect(isOversizeError(oversize)).toBe(true);
    const clear = classifyFailure(closed, oversize);
    expect(kindOf(clear)).toBe('too_large');
    expect((clear as Error).message).toMatch(/^the server sent a message larger than the 10 MB the stdio client accepts/);
  });

  it('a connection closed for another reason is "closed", a timeout "timeout", a JSON-RPC error "refused"', () => {
    expect(kindOf(classifyFailure(closed, undefined))).toBe('closed');
    expect(kindOf(classifyFailure(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out'), undefined))).toBe('timeout');
    const refused = classifyFailure(new ProtocolError(ProtocolErrorCode.InvalidParams, 'Unknown tool: nope'), undefined);
    expect(kindOf(refused)).toBe('refused');
    expect((refused as Error).message).toBe('Unknown tool: nope');
  });

  it('an input request of an input_required round that no handler answers is "input_required"', () => {
    const unanswered = new SdkError(SdkErrorCode.CapabilityNotSupported, "Cannot fulfil input request 'ok'", { key: 'ok', method: 'elicitation/create' });
    const clear = classifyFailure(unanswered, undefined);
    expect(kindOf(clear)).toBe('input_required');
    expect((clear as Error).message).toMatch(/^the tool asked for input .* \(Cannot fulfil input request 'ok'\)$/);
  });

  it("a 2026 server's refusal for a missing client capability (-32021) is \"input_required\"", () => {
    const refused = new ProtocolError(ProtocolErrorCode.MissingRequiredClientCapability, "Cannot request input 'ok' (elicitation/create)");
    expect(kindOf(classifyFailure(refused, undefined))).toBe('input_required');
  });

  it('a missing capability that is not about input, and anything else, stays as it is', () => {
    const other = new SdkError(SdkErrorCode.CapabilityNotSupported, 'Server does not support tools', { method: 'tools/list' });
    expect(classifyFailure(other, undefined)).toBe(other);
    const plain = new Error('boom');
    expect(classifyFailure(plain, undefined)).toBe(plain);
  });
});
