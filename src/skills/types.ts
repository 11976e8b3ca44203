/** Shared types of the skill scanner: files, documents, findings, rules. */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Verdict = 'malicious' | 'suspicious' | 'clean';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Rule categories, one per kind of harm named in issue 5; the eval reports per category. */
export type Category =
  | 'guardrail-bypass'
  | 'prompt-injection'
  | 'hidden-unicode'
  | 'crypto-mining'
  | 'download-execute'
  | 'exfiltration'
  | 'obfuscation'
  | 'load-time-execution'
  | 'backdoor'
  | 'excess-permissions'
  | 'undeclared-dependency'
  | 'imitation'
  | 'fail-closed';

export interface Finding {
  rule: string;
  severity: Severity;
  category: Category;
  /** What was found here, in one line. */
  message: string;
  /** Why the rule exists (from the rule definition). */
  rationale: string;
  /** Path relative to the skill root (posix separators); archive members as `a.zip!/x`. */
  file: string;
  /** 1-based line; 0 when the finding concerns the whole skill. */
  line: number;
  /** A short excerpt (at most 160 characters), with invisible characters made visible. */
  evidence?: string;
}

/** One file of a skill, read into memory without ever executing it. */
export interface SkillFile {
  path: string;
  size: number;
  data: Buffer;
  /** Decoded text when the file is text (UTF-8 / UTF-16 with BOM); undefined for binaries. */
  text?: string;
  /** Archive nesting depth: 0 for files of the skill itself, 1 inside an archive it ships, ... */
  depth: number;
}

/** Something the loader refused or could not read, reported as a fail-closed finding. */
export interface LoadIssue {
  kind: 'traversal' | 'absolute-path' | 'symlink' | 'bomb' | 'oversize' | 'too-many-files' | 'nested-archive' | 'encrypted' | 'corrupt' | 'special-file';
  file: string;
  detail: string;
}

export type SkillSource = 'folder' | 'archive' | 'mcp-config' | 'tools-snapshot' | 'file';

export interface SkillInput {
  /** Display path of the skill (folder, archive path, or `bundle.zip!/sub`). */
  path: string;
  source: SkillSource;
  files: SkillFile[];
  issues: LoadIssue[];
}

export type DocKind = 'prose' | 'js' | 'ts' | 'python' | 'shell' | 'powershell' | 'config' | 'command';

/**
 * A piece of text analysed in one language: a whole file, a fenced code block of a markdown file,
 * an MCP tool description or server command line. `line` maps its first line into the file.
 */
export interface Doc {
  file: string;
  kind: DocKind;
  text: string;
  line: number;
  /** Where the text comes from inside the file: 'file', 'code-block', 'inline-code', 'load-time', 'tool-description', 'frontmatter'. */
  origin: 'file' | 'code-block' | 'inline-code' | 'load-time' | 'tool-description' | 'server-command' | 'frontmatter';
}

/** A located occurrence inside a skill. */
export interface Loc {
  file: string;
  line: number;
}

/** A minimal skill used as a rule example: relative path → file content. */
export type SampleSkill = Record<string, string>;

export interface RuleExamples {
  /** Skills on which the rule must fire. */
  positive: SampleSkill[];
  /** Skills on which the rule must stay silent. */
  negative: SampleSkill[];
}
