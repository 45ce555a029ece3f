/**
 * Lease holder tokens: random, so no other replica (nor anything that read a lease's name) can
 * renew or release a lease it does not hold.
 */
import { randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe. */
export function createLeaseToken(): string {
  return randomBytes(16).toString('base64url');
}
