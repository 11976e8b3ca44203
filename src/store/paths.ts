import path from 'node:path';

/**
 * Resolves the data directory: --data-dir, else $TRUSTRELAY_DATA_DIR, else ./.trustrelay
 * (relative to the working directory, so `npm start` keeps its state beside the checkout).
 */
export function resolveDataDir(flag?: string): string {
  return path.resolve(flag ?? process.env.TRUSTRELAY_DATA_DIR ?? '.trustrelay');
}
