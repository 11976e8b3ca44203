import type { Action, EntityType } from './types.js';

/** Per-type actions after merging global, team and key overrides. Pure data: the gateway merges, the engine applies. */
export interface DlpPolicy {
  actions: Readonly<Record<string, Action>>;
  /** Action for types not listed (organisation terms, future types). */
  defaultAction: Action;
  /** Findings below this score are ignored (0..1). */
  minScore: number;
}

export interface DlpPolicyOverride {
  actions?: Partial<Record<string, Action>>;
  defaultAction?: Action;
  minScore?: number;
}

/** Personal data is pseudonymized (reversible); secrets are redacted (never sent, never restorable by the model). */
export const DEFAULT_POLICY: DlpPolicy = Object.freeze({
  actions: Object.freeze({
    CN_ID_CARD: 'pseudonymize',
    CN_MOBILE: 'pseudonymize',
    PHONE: 'pseudonymize',
    BANK_CARD: 'pseudonymize',
    CN_USCC: 'pseudonymize',
    PASSPORT: 'pseudonymize',
    EMAIL: 'pseudonymize',
    IP_ADDRESS: 'pseudonymize',
    SECRET: 'redact',
    PERSON: 'pseudonymize',
    ADDRESS: 'pseudonymize',
    CN_LICENSE_PLATE: 'pseudonymize',
  } satisfies Record<string, Action>),
  defaultAction: 'pseudonymize',
  minScore: 0.5,
});

/** Merges overrides left to right (e.g. global config, then team, then key); later layers win per type. */
export function mergePolicy(base: DlpPolicy, ...layers: Array<DlpPolicyOverride | undefined>): DlpPolicy {
  let actions: Record<string, Action> = { ...base.actions };
  let defaultAction = base.defaultAction;
  let minScore = base.minScore;
  for (const l of layers) {
    if (!l) continue;
    if (l.actions) {
      actions = { ...actions };
      for (const [k, v] of Object.entries(l.actions)) if (v) actions[k] = v;
    }
    if (l.defaultAction) defaultAction = l.defaultAction;
    if (l.minScore !== undefined) minScore = l.minScore;
  }
  return { actions, defaultAction, minScore };
}

export function actionFor(policy: DlpPolicy, type: EntityType): Action {
  return policy.actions[type] ?? policy.defaultAction;
}
