import { z } from 'zod';
import { PROVIDER_TYPES } from '../providers/index.js';
import { DlpActionSchema, DlpConfigSchema } from '../dlp/config.js';

/** The trustrelay.yaml schema. Unknown keys are errors, so a typo never silently changes behaviour. */

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit (at most 64)');

export const TimeoutsSchema = z.strictObject({
  connect_ms: z.number().int().positive().default(5_000),
  first_byte_ms: z.number().int().positive().default(60_000),
  total_ms: z.number().int().positive().default(600_000),
});

export const ProviderSchema = z.strictObject({
  id,
  type: z.string().refine((t) => PROVIDER_TYPES.has(t), { message: `expected one of ${[...PROVIDER_TYPES.keys()].join(', ')}` }),
  base_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  api_key: z.string().optional(),
  region: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  timeouts: TimeoutsSchema.partial().optional(),
  max_connections: z.number().int().positive().max(1024).default(128),
});

export const TargetSchema = z.strictObject({
  provider: z.string(),
  model: z.string().min(1),
  weight: z.number().nonnegative().default(1),
});

export const PriceSchema = z.strictObject({
  /** Currency units per 1M tokens; stored as integer micro-units. */
  input: z.number().nonnegative().default(0),
  output: z.number().nonnegative().default(0),
  cached_input: z.number().nonnegative().optional(),
});

export const ModelSchema = z.strictObject({
  name: z.string().min(1),
  price: PriceSchema.optional(),
  targets: z.array(TargetSchema).min(1, 'a model needs at least one target'),
});

export const RoutingSchema = z.strictObject({
  retries: z.number().int().min(0).max(10).default(2),
  backoff_ms: z.number().int().min(0).default(250),
  max_backoff_ms: z.number().int().min(0).default(4_000),
  breaker: z
    .strictObject({ failures: z.number().int().positive().default(5), cooldown_ms: z.number().int().positive().default(30_000) })
    .default({ failures: 5, cooldown_ms: 30_000 }),
  /** "provider-id/model" reaches any model of a configured provider without a models entry. */
  provider_prefix: z.boolean().default(false),
});

export const ServerSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8787),
  body_limit_bytes: z.number().int().positive().default(10 * 1024 * 1024),
  data_dir: z.string().optional(),
  /** Bearer token for /admin routes; when unset one is generated into the data dir on first start. */
  admin_token: z.string().min(16, 'use at least 16 characters').optional(),
});

export const ConfigSchema = z.strictObject({
  server: ServerSchema.default(ServerSchema.parse({})),
  providers: z.array(ProviderSchema).default([]),
  models: z.array(ModelSchema).default([]),
  routing: RoutingSchema.default(RoutingSchema.parse({})),
  limits: z
    .strictObject({
      /** max_tokens set on budgeted requests that carry none, so the reserved maximum cost is a bound. */
      default_max_tokens: z.number().int().positive().default(4096),
    })
    .default({ default_max_tokens: 4096 }),
  alerts: z
    .strictObject({
      /** POST each alert as JSON to this URL (optional). */
      webhook_url: z.url({ protocol: /^https?$/ }).optional(),
      spike_factor: z.number().positive().default(10),
      spike_min: z.number().nonnegative().default(0.01),
      inflation_ratio: z.number().min(1).default(1.5),
    })
    .default({ spike_factor: 10, spike_min: 0.01, inflation_ratio: 1.5 }),
  logging: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).default({ level: 'info' }),
  /** Desensitization before data leaves (on by default; see docs/DLP.md). */
  dlp: DlpConfigSchema.extend({
    enabled: z.boolean().default(true),
    /** Per-team and per-key policy, applied in this order over the global actions (later wins). */
    overrides: z
      .array(
        z
          .strictObject({
            team: z.string().optional(),
            key: z.string().optional(),
            actions: z.record(z.string(), DlpActionSchema).optional(),
            default_action: DlpActionSchema.optional(),
          })
          .refine((o) => (o.team === undefined) !== (o.key === undefined), { message: 'name exactly one of team (name or id) or key (id)' }),
      )
      .default([]),
  }).default({ enabled: true, overrides: [] }),
  /** Skill vetting and least-privilege tool enforcement (see docs/SKILLS.md). */
  skills: z
    .strictObject({
      /** Tools no registered skill provides: allow (default) or deny. */
      unmanaged_tools: z.enum(['allow', 'deny']).default('allow'),
      /** Offered tools the key may not use: refuse the request (default) or strip them. */
      tool_enforcement: z.enum(['refuse', 'strip']).default('refuse'),
      require_signature: z.boolean().default(false),
      trust_store: z.string().optional(),
    })
    .default({ unmanaged_tools: 'allow', tool_enforcement: 'refuse', require_signature: false }),
  /** Model-integrity monitoring of every upstream (see docs/INTEGRITY.md). */
  integrity: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Route around an upstream whose status is failed; refuse when a model has no other target. */
      quarantine: z.boolean().default(true),
      /** Scheduled active probes (they cost upstream requests, so they are off unless enabled). */
      probes: z
        .strictObject({
          enabled: z.boolean().default(false),
          requests_per_day: z.number().int().min(30).default(200),
          min_interval_minutes: z.number().positive().default(60),
          /** A provider id trusted to serve the same models, for the two-sample tests. */
          reference_provider: z.string().optional(),
          reference_model: z.string().optional(),
        })
        .default({ enabled: false, requests_per_day: 200, min_interval_minutes: 60 }),
    })
    .default({ enabled: true, quarantine: true, probes: { enabled: false, requests_per_day: 200, min_interval_minutes: 60 } }),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ProviderConfig = z.infer<typeof ProviderSchema>;
export type ModelConfig = z.infer<typeof ModelSchema>;
