/**
 * The key that signs 2026 `requestState`, shared through the store: a retry that answers an
 * approval may reach any replica, and each must verify what another signed. The first replica to
 * ask creates it (create-if-absent, so racing replicas agree on one). What it protects is not
 * secret — which run an answer is for, and whose — and answers are checked against the run's
 * owner anyway; the signature stops a caller from forging or replaying state past its expiry.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createCollection } from '../store/collection.js';
import { MAX_TTL_MSEC, type Store } from '../store/store.js';
import { SERVER_PRINCIPAL } from './live-run-store.js';

const KEY_ID = 'request-state';
const KeySchema = z.object({ key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/) });

/** The shared key; created on first use. Rejects when the store is away. */
export async function sharedRequestStateKey(store: Store): Promise<Uint8Array> {
  const keys = createCollection(store, { namespace: 'server-keys', schema: KeySchema, ttlMs: MAX_TTL_MSEC, onInvalid: () => undefined });
  await keys.create(KEY_ID, SERVER_PRINCIPAL, { key: randomBytes(32).toString('base64') });
  const stored = await keys.get(KEY_ID);
  if (!stored) throw new Error('the request-state key vanished from the store just after it was written');
  return Buffer.from(stored.value.key, 'base64');
}
