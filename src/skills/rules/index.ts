import { BACKDOOR_RULES } from './backdoor.js';
import { DOWNLOAD_RULES } from './download.js';
import { EXFIL_RULES } from './exfil.js';
import { FAILCLOSED_RULES } from './failclosed.js';
import { IMITATION_RULES } from './imitation.js';
import { INJECTION_RULES } from './injection.js';
import { LOADTIME_RULES } from './loadtime.js';
import { MINING_RULES } from './mining.js';
import { OBFUSCATION_RULES } from './obfuscation.js';
import { PERMISSION_RULES } from './permissions.js';
import type { Rule } from './rule.js';
import { UNICODE_RULES } from './unicode.js';

/** Every rule the scanner runs, in report order. */
export const RULES: Rule[] = [
  ...INJECTION_RULES,
  ...UNICODE_RULES,
  ...MINING_RULES,
  ...DOWNLOAD_RULES,
  ...EXFIL_RULES,
  ...OBFUSCATION_RULES,
  ...LOADTIME_RULES,
  ...BACKDOOR_RULES,
  ...PERMISSION_RULES,
  ...IMITATION_RULES,
  ...FAILCLOSED_RULES,
];

export type { Rule };
