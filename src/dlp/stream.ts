import type { Pseudonymizer } from './pseudonymize.js';
import { PSEUDONYM_MAX_LENGTH } from './pseudonymize.js';

export interface StreamRestorer {
  /** Feeds one delta; returns the restored text that is safe to emit now. */
  push(delta: string): string;
  /** End of stream: returns whatever was held back, restored. */
  flush(): string;
  /** Characters currently held back (never more than PSEUDONYM_MAX_LENGTH). */
  readonly pending: number;
}

/**
 * Restores pseudonyms in a stream of deltas. Create one per independent text stream (per choice, content
 * block or tool call). It holds back only a tail that starts with '[' and is a prefix of a pseudonym this
 * conversation issued, so the hold-back is at most PSEUDONYM_MAX_LENGTH characters and is zero when no
 * pseudonym can be starting. `json: true` for tool-call argument deltas (JSON string fragments): the
 * pseudonym alphabet needs no escaping, and restored values are JSON-escaped.
 * Invariant (property-tested): concat(push(d) for d in deltas) + flush() === restore(concat(deltas)).
 */
export function createStreamRestorer(p: Pseudonymizer, opts: { json?: boolean } = {}): StreamRestorer {
  let held = '';
  return {
    get pending() {
      return held.length;
    },
    push(delta: string): string {
      const buf = held + delta;
      const i = buf.lastIndexOf('[');
      let cut = buf.length;
      if (i >= 0 && buf.length - i <= PSEUDONYM_MAX_LENGTH && p.isPrefix(buf.slice(i))) cut = i;
      held = buf.slice(cut);
      return p.restore(buf.slice(0, cut), opts);
    },
    flush(): string {
      const rest = held;
      held = '';
      return p.restore(rest, opts);
    },
  };
}
