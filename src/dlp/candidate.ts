import type { Candidate, EntityType, Recognizer } from './types.js';

/**
 * The one object shape every built-in recognizer emits candidates in (made by `cand`). The engine keeps
 * these objects as they are through overlap resolution, only filling in `rec`: no copy per candidate,
 * and every property access in the engine sees a single hidden class. Candidates of another shape (an
 * object literal from a custom recognizer) are copied into this one.
 */
export class Cand implements Candidate {
  /** Set by the engine: the recognizer that proposed the candidate. */
  rec: Recognizer | undefined = undefined;
  constructor(
    public type: EntityType,
    public start: number,
    public end: number,
    public score: number,
    public why: string | undefined,
    /** Canonical value; undefined means the span's own (normalized) text, sliced only when needed. */
    public canonical: string | undefined,
  ) {}
}

/** A candidate span in normalized coordinates; leave `canonical` out when it is the span's text. */
export function cand(type: EntityType, start: number, end: number, score: number, why?: string, canonical?: string): Cand {
  return new Cand(type, start, end, score, why, canonical);
}
