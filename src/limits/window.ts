/**
 * A sliding one-minute window in one-second buckets: counts requests or tokens over the last 60 s.
 * In memory, per process (a shared store serves several replicas).
 */
export class MinuteWindow {
  private readonly buckets = new Float64Array(60);
  private readonly stamps = new Float64Array(60);

  add(n: number, now = Date.now()): void {
    const sec = Math.floor(now / 1000);
    const i = sec % 60;
    if (this.stamps[i] !== sec) {
      this.stamps[i] = sec;
      this.buckets[i] = 0;
    }
    this.buckets[i] += n;
  }

  total(now = Date.now()): number {
    const sec = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < 60; i++) if (sec - this.stamps[i] < 60) sum += this.buckets[i];
    return sum;
  }

  /** Seconds until at least `need` units have left the window (1..60). */
  secondsUntilFree(need: number, now = Date.now()): number {
    const sec = Math.floor(now / 1000);
    let freed = 0;
    for (let age = 59; age >= 0; age--) {
      const s = sec - age;
      const i = ((s % 60) + 60) % 60;
      if (this.stamps[i] === s) freed += this.buckets[i];
      if (freed >= need) return Math.max(1, 60 - age);
    }
    return 60;
  }
}
