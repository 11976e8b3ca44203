import { createHash, type KeyObject } from 'node:crypto';
import type { LedgerEntry } from './ledger.js';
import { signBytes, verifyBytes, type GatewayIdentity } from './signing.js';

/**
 * A receipt: what the gateway charged for one response, signed with its Ed25519 key.
 *
 * Receipts are signed in batches: the entries settled in one event-loop turn form a Merkle tree
 * and the gateway signs its root once. Each receipt carries its payload, the path from its leaf to
 * the root, and the root's signature, so it verifies offline on its own:
 *   "trr1.<base64url payload JSON>.<base64url path JSON>.<base64url signature>"
 * leaf = SHA-256("trustrelay-receipt-leaf:" + payload bytes); each path step is [side, hex] where
 * side "L" means the sibling is on the left; the signature is over
 * "trustrelay-receipt-root:" + root hex. The payload names the ledger entry (seq and hash), so a
 * user can reconcile receipts against `trustrelay ledger export`.
 */
export interface ReceiptPayload {
  v: 1;
  kid: string;
  rid: string;
  seq: number;
  entry: string;
  key: string;
  model: string;
  served: string;
  upstream: string;
  in: number;
  out: number;
  cached: number;
  est: boolean;
  cost: number;
  req: string;
  resp: string;
  ts: number;
}

type Step = ['L' | 'R', string];

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest();
const leafOf = (payload: Buffer) => sha(Buffer.concat([Buffer.from('trustrelay-receipt-leaf:'), payload]));
const node = (l: Buffer, r: Buffer) => sha(Buffer.concat([Buffer.from([1]), l, r]));
const rootMessage = (root: Buffer) => Buffer.from(`trustrelay-receipt-root:${root.toString('hex')}`);

export function payloadOf(id: GatewayIdentity, e: LedgerEntry): ReceiptPayload {
  return {
    v: 1, kid: id.keyId, rid: e.requestId, seq: e.seq, entry: e.entryHash, key: e.keyId, model: e.modelRequested, served: e.modelServed, upstream: e.upstream,
    in: e.inputTokens, out: e.outputTokens, cached: e.cachedTokens, est: e.estimated, cost: e.costMicros, req: e.requestHash, resp: e.responseHash, ts: e.finishedAt,
  };
}

/** Signs a batch of entries with one signature; returns one receipt per entry, in order. */
export function makeReceipts(id: GatewayIdentity, entries: LedgerEntry[]): string[] {
  const payloads = entries.map((e) => Buffer.from(JSON.stringify(payloadOf(id, e))));
  const levels: Buffer[][] = [payloads.map(leafOf)];
  while (levels[levels.length - 1].length > 1) {
    const cur = levels[levels.length - 1];
    const next: Buffer[] = [];
    for (let i = 0; i < cur.length; i += 2) next.push(i + 1 < cur.length ? node(cur[i], cur[i + 1]) : cur[i]);
    levels.push(next);
  }
  const root = levels[levels.length - 1][0];
  const sig = signBytes(id, rootMessage(root)).toString('base64url');
  return payloads.map((p, leaf) => {
    const path: Step[] = [];
    let i = leaf;
    for (let lv = 0; lv < levels.length - 1; lv++) {
      const cur = levels[lv];
      const sib = i % 2 === 0 ? i + 1 : i - 1;
      if (sib < cur.length) path.push([i % 2 === 0 ? 'R' : 'L', cur[sib].toString('hex')]);
      i = Math.floor(i / 2);
    }
    return `trr1.${p.toString('base64url')}.${Buffer.from(JSON.stringify(path)).toString('base64url')}.${sig}`;
  });
}

export function makeReceipt(id: GatewayIdentity, e: LedgerEntry): string {
  return makeReceipts(id, [e])[0];
}

export type ReceiptCheck = { ok: true; payload: ReceiptPayload } | { ok: false; reason: string };

export function verifyReceipt(receipt: string, publicKey: KeyObject): ReceiptCheck {
  const parts = receipt.trim().split('.');
  if (parts.length !== 4 || parts[0] !== 'trr1') return { ok: false, reason: 'not a TrustRelay receipt (expected trr1.<payload>.<path>.<signature>)' };
  const payload = Buffer.from(parts[1], 'base64url');
  let path: Step[];
  try {
    path = JSON.parse(Buffer.from(parts[2], 'base64url').toString('utf8')) as Step[];
    if (!Array.isArray(path) || path.length > 64 || !path.every((s) => Array.isArray(s) && (s[0] === 'L' || s[0] === 'R') && /^[0-9a-f]{64}$/.test(s[1]))) throw new Error('bad path');
  } catch {
    return { ok: false, reason: 'the Merkle path is malformed' };
  }
  let h = leafOf(payload);
  for (const [side, hex] of path) h = side === 'L' ? node(Buffer.from(hex, 'hex'), h) : node(h, Buffer.from(hex, 'hex'));
  if (!verifyBytes(publicKey, rootMessage(h), Buffer.from(parts[3], 'base64url'))) return { ok: false, reason: "the signature is not the gateway's, or the receipt was changed" };
  try {
    return { ok: true, payload: JSON.parse(payload.toString('utf8')) as ReceiptPayload };
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
}
