/**
 * Public API of the skills capability: scanner, signing, registry, grants and the tool policy the
 * gateway enforces on requests and responses.
 */
export { scanPaths, scanSkill, verdictOf, type ScanResult } from './scan.js';
export { signSkill, verifySkill, generatePublisherKeys, contentHash, hashTree, MANIFEST_FILE, type Manifest, type TrustedPublisher } from './sign/manifest.js';
export { installSkill, approveSkill, checkSkills, getSkill, listSkills, type SkillRecord, type SkillPermissions } from './registry/registry.js';
export { createGrant, revokeGrants, listGrants, grantState, type Grant, type Subject } from './registry/grants.js';
export { toolPolicyFor, isToolAllowed, partitionTools, type ToolPolicy, type PolicySubject, type PolicyOptions, type UnmanagedToolMode, type ToolGrant } from './registry/policy.js';
export { migrateSkills } from './registry/store.js';
export { loadSkillsConfig, type SkillsConfig } from './config.js';
export type { Finding, Verdict, Severity } from './types.js';
