import fs from 'node:fs';
import { builtInConfig } from '../config/defaults.js';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { resolveDataDir } from '../store/paths.js';

/** The options every state-touching command accepts. */
export const STATE_OPTIONS = {
  config: { type: 'string' as const, short: 'c' },
  'data-dir': { type: 'string' as const },
};

/**
 * Loads --config FILE, else ./trustrelay.yaml when it exists, else the built-in default.
 * Returns which one was used so `serve` can say so.
 */
export function loadConfig(flag: string | undefined): { cfg: Config; source: string } {
  if (flag) return { cfg: loadConfigFile(flag), source: flag };
  if (fs.existsSync('trustrelay.yaml')) return { cfg: loadConfigFile('trustrelay.yaml'), source: 'trustrelay.yaml' };
  return { cfg: builtInConfig(), source: 'built-in default' };
}

export function dataDirOf(flag: string | undefined, cfg?: Config): string {
  return resolveDataDir(flag ?? cfg?.server.data_dir);
}
