/**
 * A cheap cancellation signal for the request path. On Node 20 every AbortController costs several
 * microseconds (EventTarget machinery), and a relayed request needs two; this class keeps the part of
 * the AbortSignal contract the gateway and undici use (`aborted`, `reason`, add/removeEventListener
 * for 'abort'), so it can be passed as undici's request `signal` and wherever an AbortSignal is read.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class Cancel implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | null = null;

  /** The signal side (the object itself), for symmetry with AbortController. */
  get signal(): CancelSignal {
    return this;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const l = this.listeners;
    if (!l) return;
    const i = l.indexOf(listener);
    if (i >= 0) l.splice(i, 1);
  }

  /** Aborts once; every listener runs once (abort is a one-shot event), each isolated from the others' errors. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const l = this.listeners;
    this.listeners = null;
    if (!l) return;
    for (const fn of l) {
      try {
        fn();
      } catch {
        // a listener's failure must not stop the others
      }
    }
  }
}
