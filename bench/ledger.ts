import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ledger, type LedgerInput } from '../src/ledger/ledger.js';
import { makeReceipt } from '../src/ledger/receipt.js';
import { loadOrCreateIdentity } from '../src/ledger/signing.js';
import { openDatabase } from '../src/store/sqlite.js';

/**
 * `npm run bench:ledger`: ledger entries per second, append alone and append + receipt signing,
 * on the embedded SQLite store (WAL), checkpoints signed every 1000 entries.
 */

const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 50_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustrelay-bench-ledger-'));

function input(i: number): LedgerInput {
  return {
    requestId: `req_${i.toString(16).padStart(32, '0')}`, keyId: 'key_0123456789abcdef', teamId: null, modelRequested: 'gpt-4o', modelServed: 'gpt-4o-2024-08-06', upstream: 'openai-main',
    inputTokens: 812, outputTokens: 233, cachedTokens: 0, reasoningTokens: 0, estimated: false, costMicros: 4360, status: 'ok', startedAt: 1_700_000_000_000 + i, finishedAt: 1_700_000_000_900 + i,
    requestHash: 'a'.repeat(64), responseHash: 'b'.repeat(64),
  };
}

try {
  const db = openDatabase(dir);
  const id = loadOrCreateIdentity(dir);
  const ledger = new Ledger(db, id, 1000);
  for (let i = 0; i < 2000; i++) ledger.append(input(i)); // warm-up
  let t = performance.now();
  for (let i = 0; i < N; i++) ledger.append(input(i));
  const appendOnly = N / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < N; i++) makeReceipt(id, ledger.append(input(i)));
  const withReceipts = N / ((performance.now() - t) / 1000);
  // As the gateway settles: 50 responses per event-loop turn, one transaction and one signature per turn.
  t = performance.now();
  for (let i = 0; i < N; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => ledger.appendSigned(input(i + j))));
  const batched = N / ((performance.now() - t) / 1000);
  const rows = [
    ['ledger append (hash chain, SQLite WAL, checkpoint every 1000)', appendOnly],
    ['ledger append + one signed receipt per entry (no batching)', withReceipts],
    ['ledger append + receipts, batched per turn (50 in flight)', batched],
  ] as const;
  console.log(`ledger bench: ${N} entries per run, node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}`);
  for (const [name, rate] of rows) console.log(`${name.padEnd(64)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} entries/s`);
  console.log(`target >= 20,000 entries/s (append + signing, batched): ${batched >= 20_000 ? 'met' : 'NOT met'}`);
  db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
