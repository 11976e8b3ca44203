import fs from 'node:fs';
import path from 'node:path';
import type { LoadIssue, SkillFile, SkillInput, SkillSource } from '../types.js';
import { archiveKind, type RawEntry } from './entries.js';
import { DEFAULT_LIMITS, type ScanLimits } from './limits.js';
import { readTarGz } from './tar.js';
import { readZip } from './zip.js';

const SKIP_DIRS = new Set(['.git', '.hg', '.svn']);

/** Decodes a file as text (UTF-8, or UTF-16 with a BOM), or returns undefined for binary data. */
export function decodeText(data: Buffer): string | undefined {
  if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) return data.subarray(2).toString('utf16le');
  if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return undefined;
  const text = data.toString('utf8');
  const sample = text.slice(0, 8192);
  let bad = 0;
  for (const ch of sample) if (ch === '\uFFFD') bad++;
  if (bad > 8 && bad > sample.length * 0.02) return undefined;
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Classifies a JSON document as an MCP server configuration or a saved tools/list snapshot. */
export function jsonSkillKind(text: string): SkillSource | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const res = o.result as Record<string, unknown> | undefined;
  if (Array.isArray(o.tools) || (res && typeof res === 'object' && Array.isArray(res.tools))) return 'tools-snapshot';
  if (o.mcpServers || (o.servers && typeof o.servers === 'object') || (o.mcp && typeof o.mcp === 'object')) return 'mcp-config';
  if (typeof o.name === 'string' && (Array.isArray(o.packages) || Array.isArray(o.remotes))) return 'mcp-config';
  return undefined;
}

function isSkillMd(name: string): boolean {
  return name.toLowerCase() === 'skill.md';
}

class Collector {
  files: SkillFile[] = [];
  issues: LoadIssue[] = [];
  budget: { bytes: number };
  constructor(private limits: ScanLimits) {
    this.budget = { bytes: limits.maxSkillBytes };
  }

  /** Adds a file; archives it ships are opened up to the depth limit, deeper ones fail closed. */
  async add(entry: RawEntry, depth: number): Promise<void> {
    if (this.files.length >= this.limits.maxFiles) {
      if (!this.issues.some((i) => i.kind === 'too-many-files')) this.issues.push({ kind: 'too-many-files', file: entry.path, detail: `more than ${this.limits.maxFiles} files; the rest were not read` });
      return;
    }
    const kind = archiveKind(entry.path, entry.data);
    if (kind === 'zip' || kind === 'tgz') {
      if (depth >= this.limits.maxArchiveDepth) {
        this.issues.push({ kind: 'nested-archive', file: entry.path, detail: `archive nested ${depth + 1} levels deep is not opened` });
      } else if (entry.data.length > this.limits.maxArchiveBytes) {
        this.issues.push({ kind: 'oversize', file: entry.path, detail: `archive of ${entry.data.length} bytes is over the ${this.limits.maxArchiveBytes}-byte limit` });
      } else {
        const inner = kind === 'zip' ? await readZip(entry.data, entry.path, this.limits, this.budget) : readTarGz(entry.data, entry.path, this.limits, this.budget);
        this.issues.push(...inner.issues);
        for (const e of inner.entries) await this.add({ path: `${entry.path}!/${e.path}`, data: e.data }, depth + 1);
      }
      this.files.push({ path: entry.path, size: entry.data.length, data: entry.data, depth });
      return;
    }
    if (kind === 'opaque') this.issues.push({ kind: 'nested-archive', file: entry.path, detail: 'archive format the scanner does not open' });
    this.files.push({ path: entry.path, size: entry.data.length, data: entry.data, text: decodeText(entry.data), depth });
  }
}

/** Reads a skill folder without following symlinks out of it or opening special files. */
async function loadFolder(root: string, limits: ScanLimits): Promise<SkillInput> {
  const c = new Collector(limits);
  const realRoot = fs.realpathSync(root);
  const seen = new Set<string>();
  const walk = async (dir: string, rel: string, level: number): Promise<void> => {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch (err) {
      c.issues.push({ kind: 'corrupt', file: rel || '.', detail: `unreadable directory: ${(err as Error).message}` });
      return;
    }
    for (const name of names) {
      const abs = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      let st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) {
        let real: string;
        try {
          real = fs.realpathSync(abs);
        } catch {
          c.issues.push({ kind: 'symlink', file: r, detail: `dangling symlink to "${fs.readlinkSync(abs)}"` });
          continue;
        }
        if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
          c.issues.push({ kind: 'symlink', file: r, detail: `symlink to "${fs.readlinkSync(abs)}" points outside the skill` });
          continue;
        }
        st = fs.statSync(abs);
        if (seen.has(real)) continue;
        seen.add(real);
      }
      if (st.isDirectory()) {
        if (SKIP_DIRS.has(name)) continue;
        if (level >= limits.maxDirDepth) {
          c.issues.push({ kind: 'too-many-files', file: r, detail: `directory nesting deeper than ${limits.maxDirDepth} levels not read` });
          continue;
        }
        await walk(abs, r, level + 1);
      } else if (st.isFile()) {
        const cap = Math.max(limits.maxFileBytes, limits.maxAssetBytes);
        if (st.size > cap || st.size > c.budget.bytes) {
          c.issues.push({ kind: 'oversize', file: r, detail: `${st.size} bytes is over the ${cap}-byte limit; not analysed` });
          continue;
        }
        c.budget.bytes -= st.size;
        await c.add({ path: r, data: fs.readFileSync(abs) }, 0);
      } else {
        c.issues.push({ kind: 'special-file', file: r, detail: 'not a regular file (device, FIFO or socket); not opened' });
      }
    }
  };
  await walk(root, '', 0);
  return { path: root, source: 'folder', files: c.files, issues: c.issues };
}

/** Splits the members of a bundle into one skill per folder holding a SKILL.md. */
async function loadBundle(file: string, limits: ScanLimits): Promise<SkillInput[]> {
  const data = fs.readFileSync(file);
  const budget = { bytes: limits.maxSkillBytes };
  const kind = archiveKind(file, data);
  if (data.length > limits.maxArchiveBytes) {
    return [{ path: file, source: 'archive', files: [], issues: [{ kind: 'oversize', file: path.basename(file), detail: `archive of ${data.length} bytes is over the limit` }] }];
  }
  const contents = kind === 'tgz' ? readTarGz(data, path.basename(file), limits, budget) : await readZip(data, path.basename(file), limits, budget);
  const roots = contents.entries
    .filter((e) => isSkillMd(path.posix.basename(e.path)))
    .map((e) => path.posix.dirname(e.path))
    .sort((a, b) => b.length - a.length);
  const groups = new Map<string, RawEntry[]>();
  for (const e of contents.entries) {
    // macOS AppleDouble shadows (__MACOSX/x/._f) belong with the folder they shadow.
    const shadowOf = e.path.startsWith('__MACOSX/') ? e.path.slice(9) : e.path;
    const root = roots.find((r) => r === '.' || shadowOf.startsWith(r + '/')) ?? '';
    if (shadowOf !== e.path && root) {
      const list = groups.get(root) ?? [];
      list.push({ path: e.path, data: e.data });
      groups.set(root, list);
      continue;
    }
    const list = groups.get(root) ?? [];
    list.push({ path: root && root !== '.' ? e.path.slice(root.length + 1) : e.path, data: e.data });
    groups.set(root, list);
  }
  if (groups.size === 0) groups.set('', []);
  const out: SkillInput[] = [];
  let first = true;
  for (const [root, entries] of groups) {
    const c = new Collector(limits);
    for (const e of entries) await c.add(e, 0);
    const issues = first ? [...contents.issues, ...c.issues] : c.issues;
    first = false;
    out.push({ path: root && root !== '.' ? `${file}!/${root}` : file, source: 'archive', files: c.files, issues });
  }
  return out;
}

function loadJsonOrFile(file: string, limits: ScanLimits): SkillInput {
  const st = fs.statSync(file);
  if (st.size > limits.maxFileBytes) return { path: file, source: 'file', files: [], issues: [{ kind: 'oversize', file: path.basename(file), detail: `${st.size} bytes is over the limit` }] };
  const data = fs.readFileSync(file);
  const text = decodeText(data);
  const source = text !== undefined && /\.json$/i.test(file) ? (jsonSkillKind(text) ?? 'file') : 'file';
  return { path: file, source, files: [{ path: path.basename(file), size: data.length, data, text, depth: 0 }], issues: [] };
}

const IGNORABLE_LOOSE = /^(readme|license|licence|notice|changelog|sources|labels)(\.[a-z]+)?$|\.(md|txt)$/i;

async function discoverDir(dir: string, limits: ScanLimits, level: number): Promise<SkillInput[]> {
  const names = fs.readdirSync(dir).sort();
  if (names.some(isSkillMd)) return [await loadFolder(dir, limits)];
  const out: SkillInput[] = [];
  const loose: string[] = [];
  for (const name of names) {
    const abs = path.join(dir, name);
    const st = fs.lstatSync(abs);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      if (SKIP_DIRS.has(name) || name === 'node_modules' || level >= limits.maxDirDepth) continue;
      out.push(...(await discoverDir(abs, limits, level + 1)));
    } else if (st.isFile()) {
      const kind = archiveKind(name);
      if (kind === 'zip' || kind === 'tgz') out.push(...(await loadBundle(abs, limits)));
      else if (/\.json$/i.test(name)) {
        const one = loadJsonOrFile(abs, limits);
        if (one.source !== 'file') out.push(one);
      } else if (!IGNORABLE_LOOSE.test(name)) loose.push(name);
    }
  }
  if (level === 0 && out.length === 0) return [await loadFolder(dir, limits)];
  if (loose.length > 0 && out.length === 0 && level > 0) return [await loadFolder(dir, limits)];
  return out;
}

/**
 * Finds every skill under a PATH: a skill folder, a directory of many, a .zip/.tar.gz/.skill
 * bundle, an MCP configuration or tools/list snapshot, or a single file. Nothing is executed.
 */
export async function loadTarget(target: string, limits: ScanLimits = DEFAULT_LIMITS): Promise<SkillInput[]> {
  const st = fs.statSync(target);
  if (st.isDirectory()) return discoverDir(target, limits, 0);
  if (!st.isFile()) throw new Error(`${target} is not a regular file or directory`);
  if (isSkillMd(path.basename(target))) return [await loadFolder(path.dirname(target), limits)];
  const kind = archiveKind(target);
  if (kind === 'zip' || kind === 'tgz') return loadBundle(target, limits);
  return [loadJsonOrFile(target, limits)];
}

/** Builds a skill from in-memory files (rule examples, tests), applying the same archive handling as a folder. */
export async function loadEntries(display: string, entries: RawEntry[], limits: ScanLimits = DEFAULT_LIMITS): Promise<SkillInput> {
  const c = new Collector(limits);
  for (const e of entries) await c.add(e, 0);
  const only = entries.length === 1 && /\.json$/i.test(entries[0].path) ? jsonSkillKind(decodeText(entries[0].data) ?? '') : undefined;
  return { path: display, source: only ?? 'folder', files: c.files, issues: c.issues };
}
