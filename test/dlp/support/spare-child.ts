import { scan } from '../../../src/dlp/scan.js';
import { PATHOLOGICAL } from '../pathological.js';

// Run by engine.test.ts in a child process with --expose-gc and TRUSTRELAY_SPARE_CHILD set (does nothing
// without it: the test runner loads every file under test/). Prints, as JSON, the bytes held in array
// buffers before, right after two scans of a dense megabyte (their large scratch arrays kept weakly), and
// after a full garbage collection.
if (process.env.TRUSTRELAY_SPARE_CHILD) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const held = () => process.memoryUsage().arrayBuffers;
  const tick = () => new Promise((r) => setTimeout(r, 10));
  gc();
  const before = held();
  const text = PATHOLOGICAL['road-numbers'](1 << 20);
  for (let i = 0; i < 2; i++) scan(text);
  const kept = held();
  // a WeakRef's target stays alive until the job that made it ends
  await tick();
  gc();
  await tick();
  gc();
  console.log(JSON.stringify({ before, kept, after: held() }));
}
