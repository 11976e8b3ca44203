/**
 * Warm-up of the engine's code on short texts, before the first real scan.
 *
 * Why: V8 records type feedback for a function only once the function has run a few times, and compiles
 * long loops of a function that is still interpreted on the spot ("on-stack replacement"). When the first
 * texts a process scans are long (a 1 MB document, or the benchmark's pathological inputs), the engine's
 * once-per-scan functions (the first pass over the CJK runs, the digit lexer, PERSON's walk, the window
 * visitor) are compiled in the middle of their first loop, before the code after the loop, or a path taken
 * once per scan, has ever run with feedback. Those spots are then compiled as "deoptimize here", and V8
 * keeps that code: every later scan runs into the same deoptimization, at a cost of tens of microseconds,
 * until V8 happens to recompile the function, which took from a few hundred to ten thousand scans in runs
 * traced with `--trace-deopt` (the window visitor deoptimized 9,860 times in one run of 3,000 short
 * messages after the pathological inputs). Scanning a short text that uses every recognizer twenty times
 * first gives those functions their feedback while the texts are short, so their loops are compiled with
 * it (the same run: no function deoptimized more than a handful of times).
 *
 * The sample is made here, inert: fake values under documentation ranges and reserved names.
 */

const PARTS = [
  'The quarterly report shows revenue grew by 12.5% compared with last year. Please review the design document. ',
  '我们计划在下周完成系统迁移，届时所有服务将切换到新的集群，请各团队提前做好准备。',
  'function add(a: number, b: number): number {\n  return a + b; // v1.2.3, build 2026-11-23T10:22:33Z\n}\n',
  '{"level":"info","ts":1700000000123,"msg":"request done","status":200,"latency_ms":35}\n',
  'Order #A-20241123-0042 shipped via tracking 1Z999AA10123456784; total $1,249.00. ',
  '联系人：王小明，手机 138 1234 5678，邮箱 wang.xm@example.com，地址：浙江省杭州市西湖区文三路 90 号 5 栋。',
  'Contact Jonathan Parker at (555) 201-4477 or jparker@example.com; card 4111 1111 1111 1111 on file. ',
  'I live at 742 Evergreen Terrace, Springfield, OR 97403. Mail: 5 Rue de la Paix, 75002 Paris. ',
  'server 203.0.113.42 rejected key sk-proj-FAKE0123456789abcdefFAKE0123 from 2001:db8::7334. ',
  'my password is Fake-Pass-2024 and the 支付密码：135790; token: FAKEtoken0123456789abcdef ',
  'postgres://app:FakeSecret@db.example.invalid:5432/orders AKIAFAKEFAKEFAKEFAKE ghp_FAKE0123456789abcdefFAKE0123456789ab ',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.ZmFrZXNpZ25hdHVyZWZha2VzaWduYXR1cmU ',
  '身份证 11010519491231002X，统一社会信用代码 91350100M000100Y43，护照 E12345678，车牌 京A12345。',
  '电话 010-6512 3456 / +86 139-0011-2233，卡号 6222 0212 3456 7890 128，ＩＤ１２３４５６ 零\u200b宽。',
  'Call +1 (555) 010-9999 ext 12 or 0044 20 7946 0958. Ms. Anna Smith and Dr. John Lee met Mr. 李 in Room 12B. ',
];

/** About 2 KB of every kind of text and value the recognizers look for. */
export const WARMUP_TEXT = PARTS.join('');

/** How many scans of the sample: past the few calls after which V8 starts recording feedback, with margin. */
export const WARMUP_SCANS = 20;

let warmed = false;

/**
 * Runs the warm-up once per process (the first scan calls it). `scanOnce` is the engine's scan; the
 * warm-up's findings are dropped.
 */
export function warmUpOnce(scanOnce: (text: string) => unknown): void {
  if (warmed) return;
  warmed = true;
  for (let i = 0; i < WARMUP_SCANS; i++) scanOnce(WARMUP_TEXT);
}
