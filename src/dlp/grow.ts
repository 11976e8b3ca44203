/**
 * Copies of the engine's flat arrays with room for `cap` elements (they grow by replacing themselves). One
 * function per element type: a single generic one constructs through `a.constructor`, a call site V8 sees
 * with four constructors and runs through its slow generic path (it showed as 8% of a scan of 4 KB
 * messages).
 */
export function growI32(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
export function growU16(a: Uint16Array, cap: number): Uint16Array<ArrayBuffer> {
  const b = new Uint16Array(cap);
  b.set(a);
  return b;
}
export function growU8(a: Uint8Array, cap: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
export function growF64(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/**
 * The new capacity of a flat array filled in text order that needs room for `need` elements after `at` of
 * the text's `n` code units: the rest of the text is taken to be as dense as what was read (a uniform text
 * regrows once, to about what it needs), never less than twice the old capacity (a density that rises
 * regrows a few times at most) and never more than `most` (what the text can hold) unless `need` is more.
 * Growing fourfold instead made a megabyte of dense numbers allocate 4 MB arrays for 1.3 MB of runs, and
 * fresh memory costs page faults as well as the zeroing.
 */
export function grownCap(old: number, need: number, at: number, n: number, most: number): number {
  const dense = at > 0 && at < n ? Math.ceil(((need * n) / at) * 1.0625) + 16 : need;
  return Math.max(need, Math.min(most, Math.max(old * 2, dense)));
}

/**
 * Scratch arrays kept from one scan for the next. Those up to `maxHeld` elements are held, so a gateway's
 * next scan writes over them instead of allocating (a fresh typed array costs a backing store of its own,
 * zeroed, and for large ones page faults). Larger ones are kept only through a WeakRef: back-to-back scans of
 * large texts reuse them (remaking them cost a dense megabyte a fifth of its scan time, measured), and the
 * next full garbage collection frees them, so one large request does not pin its memory for the life of
 * the process. Holds positions and counts only, never text.
 */
export class Spare<T extends object> {
  private held: T | null = null;
  private weak: WeakRef<T> | null = null;

  constructor(
    private readonly maxHeld: number,
    /** The number of elements of x's arrays (what maxHeld and `take` compare). */
    private readonly size: (x: T) => number,
  ) {}

  /** Keeps x, whose scan is over: nothing may read it afterwards. */
  put(x: T): void {
    if (this.size(x) <= this.maxHeld) this.held = x;
    else this.weak = new WeakRef(x);
  }

  /**
   * A kept object whose arrays have at least `cap` elements, taken out (the caller writes over it), or null.
   * With `large` (a long text, which may need more than `cap`), the weakly kept one is tried first.
   */
  take(cap: number, large: boolean): T | null {
    if (large) {
      const w = this.takeWeak(cap);
      if (w !== null) return w;
    }
    const h = this.held;
    if (h !== null && this.size(h) >= cap) {
      this.held = null;
      return h;
    }
    return large ? null : this.takeWeak(cap);
  }

  private takeWeak(cap: number): T | null {
    const w = this.weak?.deref();
    if (w === undefined || this.size(w) < cap) return null;
    this.weak = null;
    return w;
  }
}
