import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { clarifyFailure, isOversizeError, UpstreamInputRequiredError, UpstreamMessageTooLargeError } from './call-errors.js';

describe('clarifyFailure', () => {
  const closed = new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed');

  it('a connection closed after an oversized message becomes "larger than the 10 MB"', () => {
    const oversize = new Error('ReadBuffer exceeded maximum size of 10485760 bytes');
    expect(isOversizeError(oversize)).toBe(true);
    const clear = clarifyFailure(closed, oversize);
    expect(clear).toBeInstanceOf(UpstreamMessageTooLargeError);
    expect((clear as Error).message).toMatch(/^the server sent a message larger than the 10 MB the stdio client accepts/);
  });

  it('a connection closed for another reason stays as it is', () => {
    expect(clarifyFailure(closed, undefined)).toBe(closed);
  });

  it('an input request of an input_required round that no handler answers becomes an input-required error', () => {
    const unanswered = new SdkError(SdkErrorCode.CapabilityNotSupported, "Cannot fulfil input request 'ok'", { key: 'ok', method: 'elicitation/create' });
    const clear = clarifyFailure(unanswered, undefined);
    expect(clear).toBeInstanceOf(UpstreamInputRequiredError);
    expect((clear as Error).message).toMatch(/^the tool asked for input .* \(Cannot fulfil input request 'ok'\)$/);
  });

  it("a 2026 server's refusal for a missing client capability (-32021) becomes an input-required error", () => {
    const refused = new ProtocolError(ProtocolErrorCode.MissingRequiredClientCapability, "Cannot request input 'ok' (elicitation/create)");
    expect(clarifyFailure(refused, undefined)).toBeInstanceOf(UpstreamInputRequiredError);
  });

  it('a missing capability that is not about input stays as it is', () => {
    const other = new SdkError(SdkErrorCode.CapabilityNotSupported, 'Server does not support tools', { method: 'tools/list' });
    expect(clarifyFailure(other, undefined)).toBe(other);
  });
});
