import fs from 'node:fs';
import path from 'node:path';
import { parseCommandArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';

const USAGE = `Usage: trustrelay skills <subcommand> [options]

Vet agent skills: scan, sign, verify, install into a local registry, and grant least privilege.

Scanning (never executes anything from a skill):
  scan PATH... [--format table|json|sarif] [--json] [--fail-on malicious|suspicious]
       [--baseline FILE] [--write-baseline FILE] [--verbose]
      PATH: a skill folder, a directory of skills, a .zip/.tar.gz/.skill bundle, an MCP config
      (mcp.json, server.json) or a saved tools/list snapshot. One result per skill found.
      Exit 0, or 1 when a skill reaches --fail-on; 2 on usage errors.

Publishing:
  keygen --publisher ID [--out DIR]          Ed25519 key pair: DIR/ID.key (private), DIR/ID.pub
  sign PATH --key FILE --publisher ID [--name NAME]   write skill-manifest.json (per-file SHA-256, signed)
  verify PATH [--trust-store FILE] [--json]  exit 0 only when signed by a trusted key and unmodified
  trust add ID PUBKEY.pem | trust list [--json] | trust revoke ID [--key-id KEYID]

Registry and grants (state in --data-dir; policy switches in --config, section "skills"):
  install PATH [--allow-unsigned] [--name NAME] [--tools T1,T2] [--trust-store FILE] [--json]
      verify + scan + record pinned by content hash; malicious → blocked, unsigned or not clean →
      pending, changed content (rug pull) → re-scanned and pending again
  list [--json]                    registered skills with status, verdict and pinned hash
  approve NAME [--by WHO]          approve the current content of a pending skill
  check [NAME...] [--trust-store FILE] [--json]
                                   re-hash installed folders and re-verify publisher signatures;
                                   changed or no-longer-trusted skills lose approval (exit 1 if any)
  grant SKILL (--key ID | --team ID) [--tools T1,T2] [--hosts H1,H2] [--paths P1,P2] [--env E1,E2]
        [--expires ISO-8601 | --ttl 30m|12h|7d] [--by WHO]      prints the grant id
  grants [--skill S] [--key ID] [--team ID] [--all] [--json]   active grants (--all: expired/revoked too)
  revoke GRANT_ID | revoke --skill S [--key ID | --team ID] [--by WHO]
  policy [--key ID] [--team ID] [--json]   effective tool policy for a caller

Common: --data-dir DIR, --config FILE, --help`;

const COMMON = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function parseTtl(v: string): number {
  const m = /^(\d+)(s|m|h|d|w)$/.exec(v);
  if (!m) throw new UsageError(`--ttl expects a duration like 30m, 12h or 7d, got "${v}"`);
  return Number(m[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[m[2] as 's'];
}

function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
}

async function openDb(dataDir?: string) {
  const { openDatabase } = await import('../../store/sqlite.js');
  const { resolveDataDir } = await import('../../store/paths.js');
  const { migrateSkills } = await import('../../skills/registry/store.js');
  const db = openDatabase(resolveDataDir(dataDir));
  migrateSkills(db);
  return db;
}

async function trustStore(file: string | undefined, dataDir: string | undefined, configFile: string | undefined) {
  const { loadSkillsConfig } = await import('../../skills/config.js');
  const { trustStoreFromDb } = await import('../../skills/registry/store.js');
  const cfg = loadSkillsConfig(configFile);
  const db = await openDb(dataDir);
  const publishers = trustStoreFromDb(db);
  db.close();
  for (const f of [cfg.trustStore, file]) {
    if (!f) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch (err) {
      throw new Error(`trust store ${f}: ${(err as Error).message}`);
    }
    const entries = Array.isArray(raw) ? raw : (raw as { publishers?: unknown[] }).publishers;
    if (!Array.isArray(entries)) throw new Error(`trust store ${f}: expected {"publishers": [{"id", "publicKey"}]}`);
    for (const e of entries as { id?: string; publicKey?: string; revoked?: boolean }[]) {
      if (typeof e.id !== 'string' || typeof e.publicKey !== 'string') throw new Error(`trust store ${f}: each publisher needs "id" and "publicKey" (PEM)`);
      publishers.push({ id: e.id, publicKey: e.publicKey, revoked: e.revoked === true });
    }
  }
  return { publishers, cfg };
}

async function scan(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    'fail-on': { type: 'string' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    'data-dir': { type: 'string' },
    config: { type: 'string' },
  });
  if (positionals.length === 0) throw new UsageError('scan needs at least one PATH');
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (!['table', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be table, json or sarif, got "${format}"`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'malicious' && failOn !== 'suspicious') throw new UsageError(`--fail-on must be malicious or suspicious, got "${failOn}"`);
  for (const p of positionals) if (!fs.existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
  const { scanPaths } = await import('../../skills/scan.js');
  const report = await import('../../skills/report.js');
  const results = await scanPaths(positionals);
  if (values.baseline) report.applyBaseline(results, report.loadBaseline(values.baseline));
  if (values['write-baseline']) {
    fs.writeFileSync(values['write-baseline'], JSON.stringify(report.baselineFor(results), null, 2) + '\n');
    process.stderr.write(`wrote ${values['write-baseline']}: fill in each "justification" before using it with --baseline\n`);
  }
  if (format === 'json') out(report.toJson(results));
  else if (format === 'sarif') out(report.toSarif(results));
  else out(report.toTable(results, process.stdout.isTTY === true && !process.env.NO_COLOR, values.verbose === true));
  if (failOn === 'malicious' && results.some((r) => r.verdict === 'malicious')) return 1;
  if (failOn === 'suspicious' && results.some((r) => r.verdict !== 'clean')) return 1;
  return 0;
}

async function keygen(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { publisher: { type: 'string' }, out: { type: 'string' } }, false);
  if (!values.publisher || !/^[A-Za-z0-9][\w.-]{0,63}$/.test(values.publisher)) throw new UsageError('keygen needs --publisher ID (letters, digits, . _ -)');
  const { generatePublisherKeys } = await import('../../skills/sign/manifest.js');
  const dir = values.out ?? '.';
  fs.mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, `${values.publisher}.key`);
  const pubFile = path.join(dir, `${values.publisher}.pub`);
  if (fs.existsSync(keyFile)) throw new Error(`${keyFile} exists; refusing to overwrite a private key`);
  const k = generatePublisherKeys();
  fs.writeFileSync(keyFile, k.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(pubFile, k.publicKeyPem);
  out(`private key: ${keyFile} (keep secret)\npublic key:  ${pubFile}\nkey id:      ${k.keyId}`);
  return 0;
}

async function sign(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { key: { type: 'string' }, publisher: { type: 'string' }, name: { type: 'string' } });
  if (positionals.length !== 1 || !values.key || !values.publisher) throw new UsageError('sign needs PATH, --key FILE and --publisher ID');
  if (!fs.statSync(positionals[0]).isDirectory()) throw new UsageError(`${positionals[0]} is not a skill folder`);
  const { signSkill, MANIFEST_FILE } = await import('../../skills/sign/manifest.js');
  const m = signSkill(positionals[0], { privateKeyPem: fs.readFileSync(values.key, 'utf8'), publisher: values.publisher, skill: values.name });
  out(`signed ${m.files.length} file(s) of "${m.skill}" as ${m.publisher} (key ${m.keyId}): ${path.join(positionals[0], MANIFEST_FILE)}`);
  return 0;
}

async function verifyCmd(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON, 'trust-store': { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('verify needs one skill folder');
  const { verifySkill } = await import('../../skills/sign/manifest.js');
  const { publishers } = await trustStore(values['trust-store'], values['data-dir'], values.config);
  const r = verifySkill(positionals[0], publishers);
  if (values.json) out(JSON.stringify(r, null, 2));
  else out(r.ok ? `OK: "${r.skill}" signed by ${r.publisher}, content ${r.contentHash}` : `FAILED: ${positionals[0]}\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
  return r.ok ? 0 : 1;
}

async function trust(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(rest, { ...COMMON, 'key-id': { type: 'string' } });
  const store = await import('../../skills/registry/store.js');
  const db = await openDb(values['data-dir']);
  try {
    if (sub === 'add') {
      if (positionals.length !== 2) throw new UsageError('trust add needs ID and a public key PEM file');
      const { createPublicKey } = await import('node:crypto');
      const { keyIdOf } = await import('../../skills/sign/manifest.js');
      const pem = fs.readFileSync(positionals[1], 'utf8');
      const key = createPublicKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${positionals[1]} is not an Ed25519 public key`);
      const keyId = keyIdOf(key);
      store.addPublisher(db, positionals[0], keyId, pem);
      out(`trusted publisher ${positionals[0]} key ${keyId}`);
      return 0;
    }
    if (sub === 'list') {
      const rows = store.listPublishers(db);
      if (values.json) out(JSON.stringify(rows.map((r) => ({ id: r.id, keyId: r.key_id, addedAt: r.added_at, revokedAt: r.revoked_at })), null, 2));
      else out(rows.length ? rows.map((r) => `${r.id.padEnd(20)} ${r.key_id} ${r.revoked_at ? 'REVOKED' : 'trusted'}`).join('\n') : 'no trusted publishers');
      return 0;
    }
    if (sub === 'revoke') {
      if (positionals.length !== 1) throw new UsageError('trust revoke needs ID');
      const n = store.revokePublisher(db, positionals[0], values['key-id']);
      out(`revoked ${n} key(s) of ${positionals[0]}`);
      return n > 0 ? 0 : 1;
    }
    throw new UsageError('trust needs add, list or revoke');
  } finally {
    db.close();
  }
}

async function install(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON, 'allow-unsigned': { type: 'boolean' }, name: { type: 'string' }, tools: { type: 'string' }, 'trust-store': { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('install needs one skill folder');
  const { publishers, cfg } = await trustStore(values['trust-store'], values['data-dir'], values.config);
  if (cfg.requireSignature && values['allow-unsigned']) throw new UsageError('--allow-unsigned is disabled by skills.require_signature in the config');
  const { installSkill } = await import('../../skills/registry/registry.js');
  const db = await openDb(values['data-dir']);
  try {
    const r = await installSkill(db, positionals[0], { trust: publishers, allowUnsigned: values['allow-unsigned'], name: values.name, tools: list(values.tools) });
    if (values.json) out(JSON.stringify({ skill: r.record, changed: r.changed, previousHash: r.previousHash, signed: r.signed, findings: r.scan.findings }, null, 2));
    else {
      if (r.changed) out(`WARNING: "${r.record.name}" changed since it was registered (${r.previousHash?.slice(0, 12)} → ${r.record.contentHash.slice(0, 12)}); approval withdrawn`);
      out(`${r.record.name}: ${r.record.status} (${r.record.statusReason}); verdict ${r.record.verdict}; content ${r.record.contentHash}`);
      for (const f of r.scan.findings.filter((x) => x.severity !== 'low' && x.severity !== 'info')) out(`  ${f.severity.padEnd(8)} ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''} ${f.message}`);
    }
    return r.record.status === 'blocked' ? 1 : 0;
  } finally {
    db.close();
  }
}

async function registryCmd(sub: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...COMMON, by: { type: 'string' }, key: { type: 'string' }, team: { type: 'string' }, skill: { type: 'string' }, tools: { type: 'string' }, hosts: { type: 'string' },
    paths: { type: 'string' }, env: { type: 'string' }, expires: { type: 'string' }, ttl: { type: 'string' }, all: { type: 'boolean' }, 'trust-store': { type: 'string' },
  });
  const reg = await import('../../skills/registry/registry.js');
  const grants = await import('../../skills/registry/grants.js');
  const db = await openDb(values['data-dir']);
  const by = values.by ?? process.env.USER ?? 'cli';
  const subject = values.key ? { type: 'key' as const, id: values.key } : values.team ? { type: 'team' as const, id: values.team } : undefined;
  if (values.key && values.team) throw new UsageError('give --key or --team, not both');
  try {
    switch (sub) {
      case 'list': {
        const rows = reg.listSkills(db);
        if (values.json) out(JSON.stringify({ skills: rows }, null, 2));
        else out(rows.length ? rows.map((s) => `${s.name.padEnd(28)} ${s.status.padEnd(9)} ${s.verdict.padEnd(10)} ${s.publisher ?? 'unsigned'}  ${s.contentHash.slice(0, 16)}  tools: ${s.permissions.tools.join(', ')}`).join('\n') : 'no registered skills');
        return 0;
      }
      case 'approve': {
        if (positionals.length !== 1) throw new UsageError('approve needs NAME');
        const s = reg.approveSkill(db, positionals[0], by);
        out(`${s.name}: approved at content ${s.contentHash}`);
        return 0;
      }
      case 'check': {
        const { publishers } = await trustStore(values['trust-store'], values['data-dir'], values.config);
        const res = await reg.checkSkills(db, positionals, Date.now(), publishers);
        if (values.json) out(JSON.stringify({ results: res }, null, 2));
        else out(res.length ? res.map((r) => `${r.name.padEnd(28)} ${r.status}${r.verdict ? ` (${r.verdict})` : ''}`).join('\n') : 'no registered skills');
        return res.some((r) => r.status !== 'unchanged') ? 1 : 0;
      }
      case 'grant': {
        if (positionals.length !== 1 || !subject) throw new UsageError('grant needs SKILL and --key ID or --team ID');
        if (values.expires && values.ttl) throw new UsageError('give --expires or --ttl, not both');
        let expiresAt: number | null = null;
        if (values.expires) {
          expiresAt = Date.parse(values.expires);
          if (!Number.isFinite(expiresAt)) throw new UsageError(`--expires expects an ISO-8601 time, got "${values.expires}"`);
        } else if (values.ttl) expiresAt = Date.now() + parseTtl(values.ttl);
        const g = grants.createGrant(db, { skill: positionals[0], subject, tools: list(values.tools), hosts: list(values.hosts), paths: list(values.paths), env: list(values.env), expiresAt, by });
        if (values.json) out(JSON.stringify(g, null, 2));
        else out(`granted ${g.skill} [${g.tools.join(', ')}] to ${g.subject.type} ${g.subject.id}${g.expiresAt ? ` until ${new Date(g.expiresAt).toISOString()}` : ''}\n${g.id}`);
        return 0;
      }
      case 'grants': {
        const rows = grants.listGrants(db, { skill: values.skill, subject, includeInactive: values.all });
        if (values.json) out(JSON.stringify({ grants: rows }, null, 2));
        else
          out(
            rows.length
              ? rows.map((g) => `${g.id}  ${g.state.padEnd(7)} ${g.skill.padEnd(24)} ${`${g.subject.type}:${g.subject.id}`.padEnd(24)} tools=${g.tools.join(',')}${g.hosts.length ? ` hosts=${g.hosts.join(',')}` : ''}${g.paths.length ? ` paths=${g.paths.join(',')}` : ''}${g.env.length ? ` env=${g.env.join(',')}` : ''}${g.expiresAt ? ` expires=${new Date(g.expiresAt).toISOString()}` : ''}`).join('\n')
              : 'no grants',
          );
        return 0;
      }
      case 'revoke': {
        let n: number;
        if (positionals.length === 1) n = grants.revokeGrants(db, { id: positionals[0] }, by);
        else if (values.skill) n = grants.revokeGrants(db, { skill: values.skill, subject }, by);
        else throw new UsageError('revoke needs GRANT_ID or --skill S [--key ID | --team ID]');
        out(`revoked ${n} grant(s)`);
        return n > 0 ? 0 : 1;
      }
      case 'policy': {
        const { toolPolicyFor } = await import('../../skills/registry/policy.js');
        const { loadSkillsConfig } = await import('../../skills/config.js');
        const cfg = loadSkillsConfig(values.config);
        const p = toolPolicyFor(db, { keyId: values.key, teamId: values.team }, Date.now(), { unmanaged: cfg.unmanagedTools });
        const view = { allowedTools: [...p.allowedTools].sort(), deniedManagedTools: [...p.managedTools].filter((t) => !p.allowedTools.has(t)).sort(), unmanaged: p.unmanaged, validUntil: p.validUntil };
        out(values.json ? JSON.stringify(view, null, 2) : `allowed:   ${view.allowedTools.join(', ') || '(none)'}\ndenied:    ${view.deniedManagedTools.join(', ') || '(none)'}\nunmanaged: ${view.unmanaged}`);
        return 0;
      }
    }
    throw new UsageError(`unknown subcommand "${sub}"`);
  } finally {
    db.close();
  }
}

const skills: Command = {
  summary: 'Scan, sign, verify, install and grant agent skills (least privilege)',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'scan':
        return scan(rest);
      case 'keygen':
        return keygen(rest);
      case 'sign':
        return sign(rest);
      case 'verify':
        return verifyCmd(rest);
      case 'trust':
        return trust(rest);
      case 'install':
        return install(rest);
      case 'list':
      case 'approve':
      case 'check':
      case 'grant':
      case 'grants':
      case 'revoke':
      case 'policy':
        return registryCmd(sub, rest);
      case undefined:
        throw new UsageError('missing subcommand');
      default:
        throw new UsageError(`unknown subcommand "${sub}"`);
    }
  },
};

export default skills;
