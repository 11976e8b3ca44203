import { intOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOf, loadConfig, STATE_OPTIONS } from '../common.js';
import { createGateway } from '../../server/gateway.js';
import { defaultStages } from '../../server/stages.js';
import { warmTokenizers } from '../../metering/meter.js';

const usage = `Usage: trustrelay serve [--config FILE] [--port N] [--host H] [--data-dir D]

Starts the gateway. Without --config it reads ./trustrelay.yaml, or else uses the built-in default
(providers whose API-key variables are set, plus a local Ollama). Binds 127.0.0.1:8787 by default.
On the first start it mints an API key and prints it once, with a curl line to try.

Options:
  -c, --config FILE   configuration file (YAML)
      --port N        port (default from config, 8787)
      --host H        address to bind (default 127.0.0.1)
      --data-dir D    state directory (default ./.trustrelay or $TRUSTRELAY_DATA_DIR)
`;

const serve: Command = {
  summary: 'run the gateway',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...STATE_OPTIONS, port: { type: 'string', short: 'p' }, host: { type: 'string' } }, false);
    const { cfg, source } = loadConfig(values.config);
    const port = intOption(values.port, '--port', 0, 65535) ?? cfg.server.port;
    const host = values.host ?? cfg.server.host;
    const dataDir = dataDirOf(values['data-dir'], cfg);
    const gw = createGateway(cfg, { dataDir, stages: defaultStages(cfg, dataDir) });
    let firstKey: string | undefined;
    if (gw.keys.count() === 0) firstKey = gw.keys.create({ name: 'first-key' }).key;
    warmTokenizers();
    const addr = await gw.listen(port, host);
    const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
    const models = gw.router.modelNames();
    const out = [
      `TrustRelay listening on ${url}  (config: ${source}, data: ${dataDir})`,
      `providers: ${[...gw.router.providers.keys()].join(', ') || 'none (set OPENAI_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, DASHSCOPE_API_KEY, ... or write trustrelay.yaml)'}`,
      `models: ${models.join(', ') || '(none listed)'}${cfg.routing.provider_prefix ? '  — or any "provider/model"' : ''}`,
    ];
    if (source === 'built-in default' && [...gw.router.providers.values()].every((p) => p.spec.keyless))
      out.push('note: no cloud provider key found; set OPENAI_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, DASHSCOPE_API_KEY, ... or run `trustrelay init` and edit trustrelay.yaml');
    if (firstKey) {
      const model = models[0] ?? `${[...gw.router.providers.keys()][0] ?? 'ollama'}/llama3.2`;
      out.push(
        '',
        'First start: an API key was created for you. It is shown only this once:',
        `  ${firstKey}`,
        '',
        'Try it:',
        `  curl ${url}/v1/chat/completions -H "Authorization: Bearer ${firstKey}" -H "content-type: application/json" \\`,
        `    -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`,
      );
    }
    process.stderr.write(out.join('\n') + '\n');
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        gw.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};

export default serve;
