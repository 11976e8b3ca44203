import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** File name of the signed manifest at the root of a skill folder. */
export const MANIFEST_FILE = 'skill-manifest.json';

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
}

export interface Manifest {
  version: 1;
  skill: string;
  publisher: string;
  /** SHA-256 (hex, first 32 characters) of the publisher's public key in DER form. */
  keyId: string;
  createdAt: string;
  files: ManifestFile[];
  /** Ed25519 signature (base64) over canonicalPayload(manifest). */
  signature: string;
}

export interface TrustedPublisher {
  id: string;
  publicKey: string;
  revoked?: boolean;
}

const SKIP = new Set(['.git', '.hg', '.svn']);

/**
 * Hashes every regular file of a skill folder (sorted, posix paths), except the manifest itself.
 * Symlinks are refused rather than followed: what is signed must be exactly what is on disk.
 */
export function hashTree(root: string): ManifestFile[] {
  const out: ManifestFile[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) throw new Error(`${r} is a symlink; a signed skill must contain regular files only`);
      if (st.isDirectory()) {
        if (!SKIP.has(name)) walk(abs, r);
      } else if (st.isFile()) {
        if (r === MANIFEST_FILE) continue;
        const data = fs.readFileSync(abs);
        out.push({ path: r, sha256: createHash('sha256').update(data).digest('hex'), size: data.length });
      } else throw new Error(`${r} is not a regular file`);
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Content hash of a skill: SHA-256 over its sorted file list; what the registry pins. */
export function contentHash(files: ManifestFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.sha256}\n`);
  return h.digest('hex');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

/** The exact bytes that are signed: fixed field order, no signature, no whitespace. */
export function canonicalPayload(m: Omit<Manifest, 'signature'>): Buffer {
  const body = { version: m.version, skill: m.skill, publisher: m.publisher, keyId: m.keyId, createdAt: m.createdAt, files: m.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })) };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

export function generatePublisherKeys(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Signs a skill folder with a publisher's Ed25519 private key (PEM) and writes its manifest. */
export function signSkill(root: string, opts: { privateKeyPem: string; publisher: string; skill?: string; now?: Date }): Manifest {
  const key = createPrivateKey(opts.privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('publisher key must be an Ed25519 private key');
  const files = hashTree(root);
  const body = { version: 1 as const, skill: opts.skill ?? path.basename(path.resolve(root)), publisher: opts.publisher, keyId: keyIdOf(createPublicKey(key)), createdAt: (opts.now ?? new Date()).toISOString(), files };
  const manifest: Manifest = { ...body, signature: sign(null, canonicalPayload(body), key).toString('base64') };
  fs.writeFileSync(path.join(root, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

export interface VerifyResult {
  ok: boolean;
  /** Signed by a trusted, unrevoked publisher key and every file matches. */
  publisher?: string;
  skill?: string;
  contentHash?: string;
  problems: string[];
}

export function readManifest(root: string): Manifest | undefined {
  const file = path.join(root, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/**
 * Verifies a skill folder against its manifest and a trust store: the signature must verify
 * under a trusted publisher key (matched by key id and publisher id), and every file on disk must
 * be listed with the same SHA-256: one changed, added or removed byte fails.
 */
export function verifySkill(root: string, trust: TrustedPublisher[]): VerifyResult {
  const problems: string[] = [];
  let m: Manifest | undefined;
  try {
    m = readManifest(root);
  } catch (err) {
    return { ok: false, problems: [`${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`] };
  }
  if (!m) return { ok: false, problems: [`no ${MANIFEST_FILE}: the skill is unsigned`] };
  if (m.version !== 1 || !Array.isArray(m.files) || typeof m.signature !== 'string') return { ok: false, problems: [`${MANIFEST_FILE} has an unknown format`] };
  const candidates = trust.filter((t) => t.id === m.publisher);
  if (candidates.length === 0) problems.push(`publisher "${m.publisher}" is not in the trust store`);
  let keyOk = false;
  for (const t of candidates) {
    let pub: KeyObject;
    try {
      pub = createPublicKey(t.publicKey);
    } catch {
      continue;
    }
    if (keyIdOf(pub) !== m.keyId) continue;
    if (t.revoked) {
      problems.push(`publisher key ${m.keyId} of "${m.publisher}" is revoked`);
      continue;
    }
    try {
      keyOk = verify(null, canonicalPayload(m), pub, Buffer.from(m.signature, 'base64'));
    } catch {
      keyOk = false;
    }
    if (!keyOk) problems.push('signature does not verify: the manifest was altered or signed with another key');
  }
  if (candidates.length > 0 && !keyOk && problems.length === 0) problems.push(`no trusted key of "${m.publisher}" has id ${m.keyId}`);
  let files: ManifestFile[] = [];
  try {
    files = hashTree(root);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const signed = new Map(m.files.map((f) => [f.path, f]));
  const onDisk = new Map(files.map((f) => [f.path, f]));
  for (const [p, f] of signed) {
    const d = onDisk.get(p);
    if (!d) problems.push(`missing file: ${p}`);
    else if (d.sha256 !== f.sha256) problems.push(`modified file: ${p}`);
  }
  for (const p of onDisk.keys()) if (!signed.has(p)) problems.push(`unsigned file: ${p}`);
  return { ok: problems.length === 0, publisher: m.publisher, skill: m.skill, contentHash: contentHash(files), problems };
}
