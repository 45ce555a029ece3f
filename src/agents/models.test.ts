import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES, normalizeModelSpec, resolveModel } from './models.js';

describe('normalizeModelSpec', () => {
  it('defaults a missing or empty model to inherit', () => {
    expect(normalizeModelSpec(undefined)).toBe('inherit');
    expect(normalizeModelSpec(null)).toBe('inherit');
    expect(normalizeModelSpec('  ')).toBe('inherit');
  });

  it('lowercases aliases and inherit but keeps full ids as written', () => {
    expect(normalizeModelSpec('Sonnet')).toBe('sonnet');
    expect(normalizeModelSpec('INHERIT')).toBe('inherit');
    expect(normalizeModelSpec('claude-Sonnet-4-20250514')).toBe('claude-Sonnet-4-20250514');
  });

  it('rejects values that are not text', () => {
    expect(normalizeModelSpec(['opus'])).toBeUndefined();
  });
});

describe('resolveModel', () => {
  const opts = { aliases: { opus: 'o', sonnet: 's', haiku: 'h', fable: 'f' }, defaultModel: 'd' };

  it('maps inherit to the default model', () => {
    expect(resolveModel('inherit', opts)).toBe('d');
  });

  it('maps aliases through the alias table', () => {
    expect(resolveModel('opus', opts)).toBe('o');
    expect(resolveModel('Haiku', opts)).toBe('h');
    expect(resolveModel('fable', opts)).toBe('f');
  });

  it('passes full ids through', () => {
    expect(resolveModel('claude-sonnet-4-20250514', opts)).toBe('claude-sonnet-4-20250514');
  });

  it('uses the default tables when none are given or an alias is missing', () => {
    expect(resolveModel('inherit')).toBe(DEFAULT_MODEL);
    expect(resolveModel('sonnet', { aliases: {}, defaultModel: 'd' })).toBe(DEFAULT_MODEL_ALIASES.sonnet);
    expect(DEFAULT_MODEL_ALIASES).toEqual({
      opus: 'claude-opus-5-5',
      sonnet: 'claude-sonnet-5-5',
      haiku: 'claude-haiku-5-5',
      fable: 'claude-fable-5-2',
    });
  });
});
