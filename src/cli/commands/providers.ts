import { CredentialStore, loadMasterKey } from '../../auth/credentials.js';
import { loadConfigFile } from '../../config/load.js';
import { PROVIDER_TYPES } from '../../providers/index.js';
import { openDatabase } from '../../store/sqlite.js';
import { parseCommandArgs, readStdin, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOf, STATE_OPTIONS } from '../common.js';

const usage = `Usage: trustrelay providers <types|keys> ...

  providers types [--json]
      Lists the provider types TrustRelay speaks, their default base URLs and regions.
  providers keys add PROVIDER_ID [--label L]
      Stores an API key for a configured provider, encrypted at rest (AES-256-GCM). The key is read
      from stdin, never from the command line (which other users can see in the process list).
      Several keys per provider are used in turn; rotate by adding the new one, then revoking the old.
  providers keys list [--json]    Lists stored keys: id, provider, label, fingerprint; never the key.
  providers keys revoke ID

The master key is TRUSTRELAY_MASTER_KEY (32 bytes, base64 or hex) or <data-dir>/master.key (0600),
created on first use. Options: --config FILE, --data-dir D
`;

function store(values: { config?: string; 'data-dir'?: string }): CredentialStore {
  const cfg = values.config ? loadConfigFile(values.config, process.env, { lenientEnv: true }) : undefined;
  const dir = dataDirOf(values['data-dir'], cfg);
  return new CredentialStore(openDatabase(dir), loadMasterKey(dir));
}

const providers: Command = {
  summary: 'provider types, and provider API keys stored encrypted',
  usage,
  async run(argv) {
    const [sub, action, ...rest] = argv;
    if (sub === 'types') {
      const { values } = parseCommandArgs([action, ...rest].filter((a): a is string => a !== undefined), { json: { type: 'boolean' } }, false);
      const specs = [...PROVIDER_TYPES.values()].map((s) => ({ type: s.type, label: s.label, base_url: s.defaultBaseUrl ?? null, region: s.region, env: s.envKey ?? null }));
      if (values.json) process.stdout.write(JSON.stringify(specs) + '\n');
      else for (const s of specs) process.stdout.write(`${s.type.padEnd(18)} ${s.region.padEnd(8)} ${(s.base_url ?? '(set base_url)').padEnd(52)} ${s.label}\n`);
      return 0;
    }
    if (sub !== 'keys') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand: types or keys');
    if (action === 'add') {
      const { values, positionals } = parseCommandArgs(rest, { ...STATE_OPTIONS, label: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('providers keys add takes one provider id; the key comes on stdin');
      const secret = (await readStdin()).trim();
      if (!secret) throw new UsageError('no key on stdin (e.g. `printf %s "$KEY" | trustrelay providers keys add openai-main`)');
      const c = store(values).add(positionals[0], secret, values.label ?? '');
      process.stdout.write(`stored ${c.id} for provider ${c.providerId} (fingerprint ${c.fingerprint})\n`);
      return 0;
    }
    if (action === 'list') {
      const { values } = parseCommandArgs(rest, { ...STATE_OPTIONS, json: { type: 'boolean' } }, false);
      const list = store(values).list();
      if (values.json) process.stdout.write(JSON.stringify(list) + '\n');
      else for (const c of list) process.stdout.write(`${c.id}  ${c.providerId}  ${c.fingerprint}  ${c.revokedAt ? 'revoked' : 'active'}  ${c.label}\n`);
      return 0;
    }
    if (action === 'revoke') {
      const { values, positionals } = parseCommandArgs(rest, STATE_OPTIONS);
      if (positionals.length !== 1) throw new UsageError('providers keys revoke takes one credential id');
      if (!store(values).revoke(positionals[0])) {
        process.stderr.write(`trustrelay providers: no active credential ${positionals[0]}\n`);
        return 1;
      }
      process.stdout.write(`revoked ${positionals[0]}\n`);
      return 0;
    }
    throw new UsageError(action ? `unknown subcommand "keys ${action}"` : 'missing subcommand: keys add, keys list or keys revoke');
  },
};

export default providers;
