/** Public API of the detection engine (see docs/DLP.md). */
export { ENTITY_TYPES, type Action, type BuiltinEntityType, type EntityType, type Finding, type Recognizer } from './types.js';
export { scan, type ScanOptions } from './scan.js';
export { builtinRecognizers } from './recognizers/index.js';
export { termRecognizer, type TermDef } from './recognizers/terms.js';
export { DEFAULT_POLICY, mergePolicy, actionFor, type DlpPolicy, type DlpPolicyOverride } from './policy.js';
export { Pseudonymizer, PSEUDONYM_MAX_LENGTH, type ProtectResult, type PseudonymizerOptions } from './pseudonymize.js';
export { createStreamRestorer, type StreamRestorer } from './stream.js';
export { DlpConfigSchema, DlpActionSchema, DlpTermSchema, loadDlpConfigFile, policyFromConfig, recognizersFromConfig, DlpConfigError, type DlpConfig } from './config.js';
export { summarize } from './report.js';
