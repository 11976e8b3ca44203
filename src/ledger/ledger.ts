import { createHash } from 'node:crypto';
import { migrate, type Db } from '../store/sqlite.js';
import { signBytes, verifyBytes, type GatewayIdentity } from './signing.js';
import type { KeyObject } from 'node:crypto';
import { makeReceipts } from './receipt.js';

/**
 * The append-only bill. Each entry carries the hash of the previous one (a hash chain), so changing,
 * removing or reordering any stored row breaks every hash after it; checkpoints sign the chain head
 * with the gateway's Ed25519 key, so the chain cannot be rebuilt without that key.
 */

export interface LedgerInput {
  requestId: string;
  keyId: string;
  teamId: string | null;
  modelRequested: string;
  modelServed: string;
  upstream: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** True when usage came from the local tokenizer because the upstream gave none. */
  estimated: boolean;
  costMicros: number;
  status: string;
  startedAt: number;
  finishedAt: number;
  requestHash: string;
  responseHash: string;
}

export interface LedgerEntry extends LedgerInput {
  seq: number;
  prevHash: string;
  entryHash: string;
}

const GENESIS = '0'.repeat(64);

/** The exact bytes hashed for an entry: a JSON array in fixed field order. */
export function entryBytes(e: Omit<LedgerEntry, 'entryHash'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      1, e.seq, e.prevHash, e.requestId, e.keyId, e.teamId, e.modelRequested, e.modelServed, e.upstream, e.inputTokens, e.outputTokens, e.cachedTokens, e.reasoningTokens,
      e.estimated ? 1 : 0, e.costMicros, e.status, e.startedAt, e.finishedAt, e.requestHash, e.responseHash,
    ]),
  );
}

export function hashEntry(e: Omit<LedgerEntry, 'entryHash'>): string {
  return createHash('sha256').update(entryBytes(e)).digest('hex');
}

interface Row {
  seq: number;
  request_id: string;
  key_id: string;
  team_id: string | null;
  model_requested: string;
  model_served: string;
  upstream: string;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  estimated: number;
  cost_micros: number;
  status: string;
  started_at: number;
  finished_at: number;
  request_hash: string;
  response_hash: string;
  prev_hash: string;
  entry_hash: string;
}

export function fromRow(r: Row): LedgerEntry {
  return {
    seq: r.seq, requestId: r.request_id, keyId: r.key_id, teamId: r.team_id, modelRequested: r.model_requested, modelServed: r.model_served, upstream: r.upstream,
    inputTokens: r.input_tokens, outputTokens: r.output_tokens, cachedTokens: r.cached_tokens, reasoningTokens: r.reasoning_tokens, estimated: r.estimated === 1,
    costMicros: r.cost_micros, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, requestHash: r.request_hash, responseHash: r.response_hash,
    prevHash: r.prev_hash, entryHash: r.entry_hash,
  };
}

export function ensureLedgerSchema(db: Db): void {
  migrate(db, 'ledger', [
    `CREATE TABLE ledger_entries (
      seq INTEGER PRIMARY KEY,
      request_id TEXT NOT NULL, key_id TEXT NOT NULL, team_id TEXT,
      model_requested TEXT NOT NULL, model_served TEXT NOT NULL, upstream TEXT NOT NULL,
      input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL,
      estimated INTEGER NOT NULL, cost_micros INTEGER NOT NULL, status TEXT NOT NULL,
      started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL,
      request_hash TEXT NOT NULL, response_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, entry_hash TEXT NOT NULL
    );
    CREATE INDEX ledger_by_key ON ledger_entries (key_id, seq);
    CREATE TABLE ledger_checkpoints (seq INTEGER PRIMARY KEY, head_hash TEXT NOT NULL, signature TEXT NOT NULL, key_id TEXT NOT NULL, created_at INTEGER NOT NULL);`,
  ]);
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** The first entry (or checkpoint) that does not verify, with the reason. */
  firstBroken?: { seq: number; reason: string };
}

export class Ledger {
  private seq: number;
  private head: string;
  private sinceCheckpoint = 0;
  private readonly insert;
  private pending: { entry: LedgerEntry; resolve: (r: { entry: LedgerEntry; receipt: string }) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly identity: GatewayIdentity,
    private readonly checkpointEvery = 1000,
  ) {
    ensureLedgerSchema(db);
    const last = db.prepare('SELECT seq, entry_hash FROM ledger_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: string } | undefined;
    this.seq = last?.seq ?? 0;
    this.head = last?.entry_hash ?? GENESIS;
    this.insert = db.prepare(
      `INSERT INTO ledger_entries (seq, request_id, key_id, team_id, model_requested, model_served, upstream, input_tokens, output_tokens, cached_tokens, reasoning_tokens,
        estimated, cost_micros, status, started_at, finished_at, request_hash, response_hash, prev_hash, entry_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  private write(e: LedgerEntry): void {
    this.insert.run(e.seq, e.requestId, e.keyId, e.teamId, e.modelRequested, e.modelServed, e.upstream, e.inputTokens, e.outputTokens, e.cachedTokens, e.reasoningTokens,
      e.estimated ? 1 : 0, e.costMicros, e.status, e.startedAt, e.finishedAt, e.requestHash, e.responseHash, e.prevHash, e.entryHash);
  }

  private next(input: LedgerInput): LedgerEntry {
    const base = { ...input, seq: this.seq + 1, prevHash: this.head };
    const entry: LedgerEntry = { ...base, entryHash: hashEntry(base) };
    this.seq = entry.seq;
    this.head = entry.entryHash;
    return entry;
  }

  /** Appends one entry (durable in SQLite before it returns) and checkpoints every N entries. */
  append(input: LedgerInput): LedgerEntry {
    const entry = this.next(input);
    try {
      this.write(entry);
    } catch (err) {
      this.reloadHead();
      throw err;
    }
    if (++this.sinceCheckpoint >= this.checkpointEvery) this.checkpoint();
    return entry;
  }

  /**
   * Appends one entry and returns it with its signed receipt. Entries settled in the same
   * event-loop turn are written in one transaction and their receipts share one signature (a
   * Merkle root), so the cost of durability and signing is paid once per turn, not per response.
   * The promise resolves only after the batch is committed: a receipt never names an entry the
   * ledger could lose to a crash.
   */
  appendSigned(input: LedgerInput): Promise<{ entry: LedgerEntry; receipt: string }> {
    const entry = this.next(input);
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      this.db.transaction(() => {
        for (const b of batch) this.write(b.entry);
      })();
    } catch (err) {
      this.reloadHead();
      for (const b of batch) b.reject(err);
      return;
    }
    const receipts = makeReceipts(this.identity, batch.map((b) => b.entry));
    batch.forEach((b, i) => b.resolve({ entry: b.entry, receipt: receipts[i] }));
    this.sinceCheckpoint += batch.length;
    if (this.sinceCheckpoint >= this.checkpointEvery) this.checkpoint();
  }

  /** After a failed write, the chain continues from what is actually stored. */
  private reloadHead(): void {
    const last = this.db.prepare('SELECT seq, entry_hash FROM ledger_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: string } | undefined;
    this.seq = last?.seq ?? 0;
    this.head = last?.entry_hash ?? GENESIS;
  }

  /** Signs the current head. Cheap enough to call at shutdown and on a timer. */
  checkpoint(): void {
    if (this.seq === 0) return;
    this.sinceCheckpoint = 0;
    const sig = signBytes(this.identity, Buffer.from(`trustrelay-ledger-checkpoint:${this.seq}:${this.head}`)).toString('base64url');
    this.db.prepare('INSERT OR REPLACE INTO ledger_checkpoints (seq, head_hash, signature, key_id, created_at) VALUES (?, ?, ?, ?, ?)').run(this.seq, this.head, sig, this.identity.keyId, Date.now());
  }

  get headSeq(): number {
    return this.seq;
  }
}

/** Walks the whole chain and every checkpoint; names the first entry that does not verify. */
export function verifyLedger(db: Db, publicKey: KeyObject): VerifyReport {
  ensureLedgerSchema(db);
  let prev = GENESIS;
  let expectSeq = 1;
  let n = 0;
  const hashes = new Map<number, string>();
  for (const r of db.prepare('SELECT * FROM ledger_entries ORDER BY seq').iterate() as Iterable<Row>) {
    const e = fromRow(r);
    n++;
    if (e.seq !== expectSeq) return { ok: false, entries: n, checkpoints: 0, firstBroken: { seq: expectSeq, reason: `entry ${expectSeq} is missing (next stored entry is ${e.seq})` } };
    if (e.prevHash !== prev) return { ok: false, entries: n, checkpoints: 0, firstBroken: { seq: e.seq, reason: 'prev_hash does not match the previous entry' } };
    const { entryHash, ...rest } = e;
    if (hashEntry(rest) !== entryHash) return { ok: false, entries: n, checkpoints: 0, firstBroken: { seq: e.seq, reason: 'stored fields do not match the entry hash (the row was changed)' } };
    prev = entryHash;
    hashes.set(e.seq, entryHash);
    expectSeq++;
  }
  let c = 0;
  for (const cp of db.prepare('SELECT * FROM ledger_checkpoints ORDER BY seq').iterate() as Iterable<{ seq: number; head_hash: string; signature: string }>) {
    c++;
    if (hashes.get(cp.seq) !== cp.head_hash) return { ok: false, entries: n, checkpoints: c, firstBroken: { seq: cp.seq, reason: `checkpoint at ${cp.seq} does not match the chain` } };
    if (!verifyBytes(publicKey, Buffer.from(`trustrelay-ledger-checkpoint:${cp.seq}:${cp.head_hash}`), Buffer.from(cp.signature, 'base64url')))
      return { ok: false, entries: n, checkpoints: c, firstBroken: { seq: cp.seq, reason: `checkpoint signature at ${cp.seq} is not the gateway's` } };
  }
  return { ok: true, entries: n, checkpoints: c };
}

export function entriesForKey(db: Db, keyId: string | undefined): LedgerEntry[] {
  ensureLedgerSchema(db);
  const rows = keyId ? db.prepare('SELECT * FROM ledger_entries WHERE key_id = ? ORDER BY seq').all(keyId) : db.prepare('SELECT * FROM ledger_entries ORDER BY seq').all();
  return (rows as Row[]).map(fromRow);
}
