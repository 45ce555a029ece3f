/**
 * Typed records on the Store: one namespace, one zod schema, one TTL. Values are written as JSON
 * and parsed with the schema when read back, since another replica (perhaps another version of
 * this server) may have written them. Ownership is part of the read: `getOwned` answers "not
 * found" for another principal's record, exactly as for a missing one, so no caller can leak
 * that it exists.
 */
import type { z } from 'zod';
import { StoreDataError } from './errors.js';
import { assertNamespace, assertTtl, type Store, type StoredRecord } from './store.js';

/** A record with its value decoded. */
export interface TypedRecord<T> extends Omit<StoredRecord, 'value'> {
  readonly value: T;
}

/** One namespace of the store, typed. */
export interface Collection<T> {
  /** Write unless the id is taken; `false` when it is. */
  create(id: string, principal: string, value: T): Promise<boolean>;
  /** Write over whatever is there (same principal only; see Store.put). */
  put(id: string, principal: string, value: T): Promise<TypedRecord<T>>;
  /** The record whoever owns it: for the server's own bookkeeping (take-over, expiry), never for a caller. */
  get(id: string): Promise<TypedRecord<T> | undefined>;
  /** The record only if `principal` owns it; otherwise undefined, as if it did not exist. */
  getOwned(id: string, principal: string): Promise<TypedRecord<T> | undefined>;
  /**
   * Compare-and-set from `record.revision` (as read): resolves the new record, or undefined when
   * someone else wrote first or it is gone. `change` gets the value read and returns the new one.
   */
  update(record: TypedRecord<T>, change: (value: T) => T): Promise<TypedRecord<T> | undefined>;
  delete(id: string): Promise<boolean>;
  /** `principal`'s records, newest first; a record that no longer matches the schema is reported and left out. */
  list(principal: string, options?: { limit?: number }): Promise<Array<TypedRecord<T>>>;
}

/** Options for {@link createCollection}. */
export interface CollectionOptions<S extends z.ZodType> {
  namespace: string;
  schema: S;
  /** How long each record lives after its last write. */
  ttlMs: number;
  /** Told about each record `list` left out because it did not decode. */
  onInvalid(error: StoreDataError): void;
}

/** A typed view of `options.namespace` in `store`. */
export function createCollection<S extends z.ZodType>(store: Store, options: CollectionOptions<S>): Collection<z.output<S>> {
  type T = z.output<S>;
  const { namespace, schema, ttlMs } = options;
  assertNamespace(namespace);
  assertTtl(ttlMs);

  const decode = (record: StoredRecord): TypedRecord<T> => {
    let json: unknown;
    try {
      json = JSON.parse(record.value);
    } catch (error) {
      throw new StoreDataError(`${namespace}/${record.id} in the store is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`);
      throw new StoreDataError(`${namespace}/${record.id} in the store does not match its schema (${issues.join('; ')}); was it written by another version?`, {
        cause: parsed.error,
      });
    }
    return { ...record, value: parsed.data };
  };
  const encode = (value: T): string => JSON.stringify(value);

  return {
    create: (id, principal, value) => store.create(namespace, { id, principal, value: encode(value), ttlMs }),
    async put(id, principal, value) {
      return { ...(await store.put(namespace, { id, principal, value: encode(value), ttlMs })), value };
    },
    async get(id) {
      const record = await store.get(namespace, id);
      return record && decode(record);
    },
    async getOwned(id, principal) {
      const record = await store.get(namespace, id);
      return record?.principal === principal ? decode(record) : undefined;
    },
    async update(record, change) {
      const value = change(record.value);
      const updated = await store.update(namespace, { id: record.id, expectedRevision: record.revision, value: encode(value), ttlMs });
      return updated && { ...updated, value };
    },
    delete: (id) => store.delete(namespace, id),
    async list(principal, listOptions) {
      const out: Array<TypedRecord<T>> = [];
      for (const record of await store.list(namespace, principal, listOptions)) {
        try {
          out.push(decode(record));
        } catch (error) {
          if (!(error instanceof StoreDataError)) throw error;
          options.onInvalid(error);
        }
      }
      return out;
    },
  };
}
