import type { Config } from '../config/schema.js';
import type { Stage } from '../core/pipeline.js';
import { dlpStage, loadDlpSecret } from '../dlp/stage.js';
import { skillsStage } from '../skills/gateway-stage.js';
import type { Db } from '../store/sqlite.js';

/**
 * The optional pipeline stages the configuration asks for, in request order (limits, metering and
 * alerts are built into the gateway). Returns a factory that receives the gateway's database.
 */
export function defaultStages(cfg: Config, dataDir: string): (db: Db) => Stage[] {
  return (db) => {
    const stages: Stage[] = [skillsStage(db, { unmanaged: cfg.skills.unmanaged_tools, mode: cfg.skills.tool_enforcement })];
    if (cfg.dlp.enabled) {
      const { enabled: _enabled, overrides, ...dlp } = cfg.dlp;
      const teamName = (id: string) => (db.prepare('SELECT name FROM teams WHERE id = ?').get(id) as { name: string } | undefined)?.name;
      stages.push(dlpStage(dlp, loadDlpSecret(dataDir), overrides, teamName));
    }
    return stages;
  };
}
