import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The gateway's Ed25519 identity: it signs ledger checkpoints and response receipts. The private
 * key is created on first start in the data dir with 0600 permissions; the public key is served
 * at /.well-known/trustrelay.json so users can verify receipts offline.
 */
export interface GatewayIdentity {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Raw 32-byte public key, base64url. */
  publicKeyB64: string;
  /** Short id of the key: first 16 hex chars of SHA-256 of the raw public key. */
  keyId: string;
}

export function rawPublicKey(pub: KeyObject): Buffer {
  const der = pub.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

export function publicKeyFromRaw(b64: string): KeyObject {
  const raw = Buffer.from(b64, 'base64url');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  const prefix = Buffer.from('302a300506032b6570032100', 'hex');
  return createPublicKey({ key: Buffer.concat([prefix, raw]), format: 'der', type: 'spki' });
}

export function identityFrom(privateKey: KeyObject): GatewayIdentity {
  const publicKey = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKey);
  return { privateKey, publicKey, publicKeyB64: raw.toString('base64url'), keyId: keyIdSync(raw) };
}

export function keyIdSync(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function loadOrCreateIdentity(dataDir: string): GatewayIdentity {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'gateway-ed25519.pem');
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return identityFrom(createPrivateKey(fs.readFileSync(file)));
}

export function signBytes(id: GatewayIdentity, data: Buffer): Buffer {
  return sign(null, data, id.privateKey);
}

export function verifyBytes(pub: KeyObject, data: Buffer, sig: Buffer): boolean {
  try {
    return verify(null, data, pub, sig);
  } catch {
    return false;
  }
}

