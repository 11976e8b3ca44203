import path from 'node:path';
import fs from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { identityFrom, publicKeyFromRaw } from '../../ledger/signing.js';
import { verifyReceipt } from '../../ledger/receipt.js';
import { parseCommandArgs, readStdin, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOf, STATE_OPTIONS } from '../common.js';

const usage = `Usage: trustrelay receipt verify [RECEIPT] [--public-key KEY | --url GATEWAY_URL | --data-dir D] [--json]

Checks a receipt from the x-trustrelay-receipt header (or the final ": x-trustrelay-receipt" SSE
comment of a stream). Reads the receipt from stdin when none is given. Exits 0 only for a genuine
receipt, 1 otherwise, 2 on usage errors.

The gateway's public key comes from --public-key=KEY (base64url, as in /.well-known/trustrelay.json;
write it with "=", since a base64url key may begin with "-"),
or is fetched from --url's /.well-known/trustrelay.json, or is read from the local data dir.
`;

async function publicKey(values: { 'public-key'?: string; url?: string; config?: string; 'data-dir'?: string }): Promise<KeyObject> {
  if (values['public-key']) return publicKeyFromRaw(values['public-key']);
  if (values.url) {
    const r = await fetch(new URL('/.well-known/trustrelay.json', values.url));
    if (!r.ok) throw new Error(`${values.url} answered ${r.status} for /.well-known/trustrelay.json`);
    const j = (await r.json()) as { receipt_public_key?: { key?: string } };
    if (!j.receipt_public_key?.key) throw new Error('the gateway publishes no receipt_public_key');
    return publicKeyFromRaw(j.receipt_public_key.key);
  }
  const file = path.join(dataDirOf(values['data-dir']), 'gateway-ed25519.pem');
  if (!fs.existsSync(file)) throw new UsageError(`no gateway key at ${file}; pass --public-key or --url`);
  return identityFrom(createPrivateKey(fs.readFileSync(file))).publicKey;
}

const receipt: Command = {
  summary: 'verify a signed response receipt',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: verify');
    const { values, positionals } = parseCommandArgs(rest, { ...STATE_OPTIONS, 'public-key': { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('give one receipt');
    const text = (positionals[0] ?? (await readStdin())).trim().replace(/^:?\s*x-trustrelay-receipt:?\s*/i, '');
    if (!text) throw new UsageError('no receipt given (argument or stdin)');
    const check = verifyReceipt(text, await publicKey(values));
    if (values.json) process.stdout.write(JSON.stringify(check.ok ? { valid: true, receipt: check.payload } : { valid: false, reason: check.reason }) + '\n');
    else if (check.ok) {
      const p = check.payload;
      process.stdout.write(`genuine receipt: request ${p.rid}, ledger entry #${p.seq}, model ${p.model} served as ${p.served || '?'} by ${p.upstream}, ${p.in} in / ${p.out} out tokens${p.est ? ' (estimated)' : ''}, cost ${p.cost} micro-units\n`);
    } else process.stdout.write(`NOT genuine: ${check.reason}\n`);
    return check.ok ? 0 : 1;
  },
};

export default receipt;
