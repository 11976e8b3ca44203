/**
 * Model integrity: passive signals on every response, active probes, two-sample tests against a
 * trusted reference, per-upstream status. Entry points for the gateway and the audit CLI.
 */
export type { Observation, Protocol, Signal } from './observation.js';
export { ANALYZERS, analyze, expectedUsage, sameModelName, type Analyzer } from './signals.js';
export { IntegrityMonitor, defaultMonitor, observe, statusOf, type Evidence, type MonitorOptions, type MonitorSnapshot, type PerformanceStats, type ProbeResult, type StatusListener, type UpstreamStatus, type UpstreamStatusKind } from './monitor.js';
export { summarizeStreamUsage, type StreamUsageSummary } from './consistency.js';
export { InflationTest, type InflationOptions, type InflationSummary } from './inflation.js';
export { mmdTwoSampleTest, logprobPermutationTest, type LogprobSample, type TextSample, type TwoSampleOptions, type TwoSampleResult } from './stats.js';
export { PROBE_POOLS, drawProbes, matchesAnswer, type Probe } from './probes.js';
export { callProbe, toObservation, type CallOptions, type CallResult, type Endpoint } from './client.js';
export { runAudit, planAudit, MIN_BUDGET, type AuditOptions, type AuditReport } from './audit.js';
export type { CheckResult } from './checks.js';
export { ProbeScheduler, probeResultsFromAudit, type ScheduleOptions } from './schedule.js';
export { countChatPrompt, countTokens, familyForModel, type TokenizerFamily } from './tokenizer.js';
export { formatReport, formatStatus } from './report.js';
export { Rng } from './rng.js';
