/**
 * Sequential test for token-count inflation. Each verifiable response contributes its relative excess
 * e = reported / expected - 1 (expected from a local tokenizer with calibrated chat overhead, or from a
 * trusted reference). After every response we compute a lower confidence bound on the mean excess with
 * alpha spent over looks (alpha_n = alpha / (n (n + 1)), which sums to alpha, so peeking after every
 * request keeps the false-alarm rate <= alpha). Inflation is flagged when the bound exceeds the
 * tolerance (default 2%): honest relays sit at 0 +- rounding, a relay inflating by 5% crosses within a
 * few dozen requests.
 */
import { normalQuantile } from './stats.js';

export interface InflationOptions {
  /** Excess an honest relay may show (overhead mis-calibration); default 0.02. */
  tolerance?: number;
  /** Overall false-alarm probability; default 0.01. */
  alpha?: number;
  /** No decision before this many responses; default 10. */
  minSamples?: number;
  /** Floor on the standard deviation of e (an honest count can be off by a token); default 0.01. */
  sdFloor?: number;
}

export interface InflationState {
  n: number;
  sum: number;
  sumSq: number;
  /** Sample index at which inflation was first flagged (sticky), or null. */
  flaggedAt: number | null;
}

export interface InflationSummary {
  n: number;
  meanExcess: number;
  lowerBound: number;
  upperBound: number;
  flagged: boolean;
  flaggedAt: number | null;
}

export class InflationTest {
  readonly tolerance: number;
  readonly alpha: number;
  readonly minSamples: number;
  readonly sdFloor: number;
  state: InflationState = { n: 0, sum: 0, sumSq: 0, flaggedAt: null };

  constructor(opts: InflationOptions = {}, state?: InflationState) {
    this.tolerance = opts.tolerance ?? 0.02;
    this.alpha = opts.alpha ?? 0.01;
    this.minSamples = opts.minSamples ?? 10;
    this.sdFloor = opts.sdFloor ?? 0.01;
    if (state) this.state = { ...state };
  }

  /** Adds one response (reported and expected token totals); returns the updated summary. */
  add(reported: number, expected: number): InflationSummary {
    if (expected > 0 && Number.isFinite(reported)) {
      const e = Math.max(-1, Math.min(1, reported / expected - 1));
      this.state.n++;
      this.state.sum += e;
      this.state.sumSq += e * e;
      const s = this.summary();
      if (this.state.flaggedAt === null && this.state.n >= this.minSamples && s.lowerBound > this.tolerance) this.state.flaggedAt = this.state.n;
    }
    return this.summary();
  }

  summary(): InflationSummary {
    const { n, sum, sumSq, flaggedAt } = this.state;
    if (n === 0) return { n, meanExcess: 0, lowerBound: -Infinity, upperBound: Infinity, flagged: false, flaggedAt };
    const m = sum / n;
    const variance = n > 1 ? Math.max(0, (sumSq - n * m * m) / (n - 1)) : 0;
    const sd = Math.max(Math.sqrt(variance), this.sdFloor);
    const z = normalQuantile(1 - this.alpha / (n * (n + 1)));
    const half = (z * sd) / Math.sqrt(n);
    return { n, meanExcess: m, lowerBound: m - half, upperBound: m + half, flagged: flaggedAt !== null, flaggedAt };
  }
}
