import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../../src/skills/rules/index.js';
import { atLeast, scanSample } from '../../src/skills/scan.js';
import { SEVERITY_RANK, type Severity } from '../../src/skills/types.js';

/**
 * Every rule carries its own positive and negative examples. A positive must make the rule report
 * a finding at the severity that counts (medium or above, or the rule's own severity when that is
 * lower); a negative must not.
 */
describe('every rule on its own examples', () => {
  const ids = new Set<string>();
  for (const rule of RULES) {
    it(`${rule.id} has an id, rationale and examples`, () => {
      assert.ok(!ids.has(rule.id), `duplicate id ${rule.id}`);
      ids.add(rule.id);
      assert.match(rule.id, /^[a-z]+\.[a-z-]+$/);
      assert.ok(rule.rationale.length > 40);
      assert.ok(rule.examples.positive.length >= 1, 'needs a positive example');
      assert.ok(rule.examples.negative.length >= 1, 'needs a negative example');
    });
    const bar: Severity = SEVERITY_RANK[rule.severity] < SEVERITY_RANK.medium ? rule.severity : 'medium';
    rule.examples.positive.forEach((sample, i) => {
      it(`${rule.id} fires on positive example ${i + 1}`, async () => {
        const res = await scanSample(sample, [rule]);
        const hits = res.findings.filter((f) => f.rule === rule.id && atLeast(f.severity, bar));
        assert.ok(hits.length > 0, `no ${bar}+ finding; got ${JSON.stringify(res.findings)}`);
      });
    });
    rule.examples.negative.forEach((sample, i) => {
      it(`${rule.id} stays quiet on negative example ${i + 1}`, async () => {
        const res = await scanSample(sample, [rule]);
        const hits = res.findings.filter((f) => f.rule === rule.id && atLeast(f.severity, bar));
        assert.deepEqual(hits, []);
      });
    });
  }
});

describe('negative examples are clean under all rules', () => {
  for (const rule of RULES) {
    rule.examples.negative.forEach((sample, i) => {
      it(`${rule.id} negative ${i + 1} is not malicious`, async () => {
        const res = await scanSample(sample);
        assert.notEqual(res.verdict, 'malicious', JSON.stringify(res.findings.filter((f) => atLeast(f.severity, 'high'))));
      });
    });
  }
});
