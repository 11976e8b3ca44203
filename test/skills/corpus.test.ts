import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanPaths } from '../../src/skills/scan.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = here.split(path.sep).includes('dist') ? path.resolve(here, '..', '..', '..') : path.resolve(here, '..', '..');
const dir = path.join(root, 'eval', 'skills');

/** The repo corpus as a regression check of the targets (the eval script prints the detail). */
describe('eval/skills corpus', () => {
  it('meets recall >= 0.95 and false-positive rate <= 0.02', async () => {
    const labels = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')) as Record<string, { label: string }>;
    let tp = 0;
    let mal = 0;
    let fp = 0;
    let ben = 0;
    const errors: string[] = [];
    for (const [id, l] of Object.entries(labels)) {
      const results = await scanPaths([path.join(dir, 'corpus', id)]);
      const flagged = results.some((r) => r.verdict !== 'clean');
      if (l.label === 'malicious') {
        mal++;
        if (flagged) tp++;
        else errors.push(`missed ${id}`);
      } else {
        ben++;
        if (flagged) {
          fp++;
          errors.push(`false positive ${id}`);
        }
      }
    }
    assert.ok(mal >= 50 && ben >= 40, 'corpus too small');
    assert.ok(tp / mal >= 0.95, `recall ${tp}/${mal}: ${errors.join(', ')}`);
    assert.ok(fp / ben <= 0.02, `FPR ${fp}/${ben}: ${errors.join(', ')}`);
  });
});
