import { parse as parseYaml } from 'yaml';
import type { Doc, DocKind, SkillFile, SkillInput } from '../types.js';
import { lineIndex } from './indicators.js';

export interface Frontmatter {
  present: boolean;
  /** YAML error text when the frontmatter does not parse. */
  error?: string;
  data: Record<string, unknown>;
  file: string;
}

const FENCE_LANG: Record<string, DocKind> = {
  sh: 'shell', bash: 'shell', shell: 'shell', zsh: 'shell', console: 'shell', terminal: 'shell', shellsession: 'shell', ksh: 'shell',
  powershell: 'powershell', ps1: 'powershell', pwsh: 'powershell', ps: 'powershell', bat: 'shell', cmd: 'shell',
  python: 'python', py: 'python', python3: 'python',
  js: 'js', javascript: 'js', mjs: 'js', cjs: 'js', jsx: 'js', node: 'js',
  ts: 'ts', typescript: 'ts', tsx: 'ts',
  json: 'config', yaml: 'config', yml: 'config', toml: 'config', ini: 'config', jsonc: 'config',
};

export function kindOfFile(path: string, text: string): DocKind {
  const lower = path.toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  if (['js', 'mjs', 'cjs', 'jsx'].includes(ext)) return 'js';
  if (['ts', 'tsx', 'mts', 'cts'].includes(ext)) return 'ts';
  if (['py', 'pyw'].includes(ext)) return 'python';
  if (['sh', 'bash', 'zsh', 'ksh', 'command', 'bat', 'cmd'].includes(ext)) return 'shell';
  if (['ps1', 'psm1', 'psd1'].includes(ext)) return 'powershell';
  if (['json', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'plist', 'xml', 'env'].includes(ext) || lower.endsWith('.env') || /(^|\/)\.env(\.|$)/.test(lower)) return 'config';
  const first = text.slice(0, 200).split('\n')[0];
  if (first.startsWith('#!')) {
    if (/python/.test(first)) return 'python';
    if (/node|deno|bun/.test(first)) return 'js';
    if (/pwsh|powershell/.test(first)) return 'powershell';
    return 'shell';
  }
  if (['md', 'mdx', 'markdown', 'txt', 'rst', 'html', 'htm', ''].includes(ext)) return 'prose';
  return 'prose';
}

/** Splits SKILL.md-style markdown into its frontmatter, its prose (code blanked out) and its code blocks. */
export function splitMarkdown(file: string, text: string): { frontmatter?: { text: string; line: number }; docs: Doc[] } {
  const docs: Doc[] = [];
  let body = text;
  let fm: { text: string; line: number } | undefined;
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  if (m) {
    fm = { text: m[1], line: 2 };
    body = text.slice(0, m[0].length).replace(/[^\n]/g, ' ') + text.slice(m[0].length);
  }
  // fenced code blocks
  const lines = body.split('\n');
  const prose: string[] = [];
  let inFence: { marker: string; close: RegExp; kind: DocKind | undefined; start: number; lines: string[] } | null = null;
  for (let li = 0; li < lines.length; li++) {
    const ln = lines[li];
    const fence: RegExpExecArray | null = !inFence && (ln.includes('```') || ln.includes('~~~')) ? /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(ln) : null;
    if (!inFence && fence) {
      const close: RegExp = new RegExp(`^\\s{0,3}${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      inFence = { marker: fence[1], close, kind: FENCE_LANG[fence[2].toLowerCase()] ?? (fence[2] ? 'prose' : undefined), start: li + 2, lines: [] };
      prose.push('');
      continue;
    }
    if (inFence && inFence.close.test(ln)) {
      const code = inFence.lines.join('\n');
      let kind = inFence.kind;
      if (kind === undefined) kind = /^\s*(\$ |sudo |curl |wget |npm |pip |brew |git |cd |export |bash |sh |chmod |echo |python3? |node |npx |uv |docker )/m.test(code) ? 'shell' : 'prose';
      const cleaned = kind === 'shell' ? code.replace(/^(\s*)\$ /gm, '$1') : code;
      docs.push({ file, kind, text: cleaned, line: inFence.start, origin: 'code-block' });
      inFence = null;
      prose.push('');
      continue;
    }
    if (inFence) {
      inFence.lines.push(ln);
      prose.push('');
    } else prose.push(ln);
  }
  if (inFence) docs.push({ file, kind: inFence.kind ?? 'prose', text: inFence.lines.join('\n'), line: inFence.start, origin: 'code-block' });
  const proseText = prose.join('\n');
  const at = lineIndex(proseText);
  docs.unshift({ file, kind: 'prose', text: proseText, line: 1, origin: 'file' });
  // load-time inline commands: !`cmd`
  for (const lm of proseText.matchAll(/!`([^`\n]+)`/g)) docs.push({ file, kind: 'shell', text: lm[1], line: at(lm.index ?? 0), origin: 'load-time' });
  // inline code spans that read as commands
  for (const im of proseText.matchAll(/(?<!!)`([^`\n]{6,})`/g)) {
    const code = /[^\x00-\x7f]/.test(im[1]) ? im[1].normalize('NFKC') : im[1];
    if (/\b(curl|wget|iwr|irm|bash|sh|base64|chmod|python3?|powershell|iex|nc|xmrig|unzip|7z)\b/.test(code)) docs.push({ file, kind: /iex|Invoke-|iwr|irm/i.test(code) ? 'powershell' : 'shell', text: code, line: at(im.index ?? 0), origin: 'inline-code' });
  }
  return { frontmatter: fm, docs };
}

export function parseFrontmatter(file: string, fm: { text: string } | undefined): Frontmatter {
  if (!fm) return { present: false, data: {}, file };
  try {
    const data = parseYaml(fm.text, { strict: true, uniqueKeys: true, maxAliasCount: 50, prettyErrors: false }) as unknown;
    if (data === null || data === undefined) return { present: true, data: {}, file };
    if (typeof data !== 'object' || Array.isArray(data)) return { present: true, error: 'frontmatter is not a mapping', data: {}, file };
    return { present: true, data: data as Record<string, unknown>, file };
  } catch (err) {
    return { present: true, error: (err as Error).message.split('\n')[0], data: {}, file };
  }
}

const JSON_LINES = new Map<string, (i: number) => number>();

function jsonLine(raw: string, value: string): number {
  const needle = JSON.stringify(value).slice(1, 40);
  const at = raw.indexOf(needle);
  if (at < 0) return 1;
  let idx = JSON_LINES.get(raw);
  if (!idx) {
    if (JSON_LINES.size > 8) JSON_LINES.clear();
    idx = lineIndex(raw);
    JSON_LINES.set(raw, idx);
  }
  return idx(at);
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Turns an MCP config or tools/list snapshot into documents: commands, URLs and tool descriptions. */
function jsonDocs(file: SkillFile, kind: 'mcp-config' | 'tools-snapshot'): Doc[] {
  const raw = file.text ?? '';
  const docs: Doc[] = [{ file: file.path, kind: 'config', text: raw, line: 1, origin: 'file' }];
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return docs;
  }
  if (kind === 'tools-snapshot') {
    const tools = (Array.isArray(v.tools) ? v.tools : ((v.result as Record<string, unknown>)?.tools as unknown[])) ?? [];
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      for (const [k, val] of Object.entries(node as Record<string, unknown>)) {
        if ((k === 'description' || k === 'title') && typeof val === 'string') docs.push({ file: file.path, kind: 'prose', text: val, line: jsonLine(raw, val), origin: 'tool-description' });
        else visit(val);
      }
    };
    for (const t of tools) visit(t);
    return docs;
  }
  const servers = (v.mcpServers ?? v.servers ?? (v.mcp as Record<string, unknown>)?.servers ?? {}) as Record<string, Record<string, unknown>>;
  const list: Record<string, unknown>[] = typeof servers === 'object' && servers ? Object.values(servers) : [];
  if (typeof v.name === 'string' && (Array.isArray(v.packages) || Array.isArray(v.remotes))) {
    list.push(...((v.packages as Record<string, unknown>[]) ?? []), ...((v.remotes as Record<string, unknown>[]) ?? []));
    if (typeof v.description === 'string') docs.push({ file: file.path, kind: 'prose', text: v.description, line: jsonLine(raw, v.description), origin: 'tool-description' });
  }
  for (const s of list) {
    if (!s || typeof s !== 'object') continue;
    const cmd = typeof s.command === 'string' ? s.command : typeof s.runtime_hint === 'string' ? s.runtime_hint : typeof s.runtimeHint === 'string' ? s.runtimeHint : undefined;
    const args = Array.isArray(s.args) ? s.args : Array.isArray(s.runtime_arguments) ? s.runtime_arguments : [];
    if (cmd) {
      const text = [cmd, ...args.map((a) => (typeof a === 'string' ? a : typeof a === 'object' && a && 'value' in a ? String((a as { value: unknown }).value) : ''))].map(shellQuote).join(' ');
      docs.push({ file: file.path, kind: 'shell', text, line: jsonLine(raw, cmd), origin: 'server-command' });
    }
    if (typeof s.description === 'string') docs.push({ file: file.path, kind: 'prose', text: s.description, line: jsonLine(raw, s.description), origin: 'tool-description' });
  }
  return docs;
}

/** Command strings inside a hooks declaration (Claude Code style: event → [{hooks: [{type, command}]}]). */
export function hookCommands(node: unknown, depth = 0): string[] {
  if (!node || typeof node !== 'object' || depth > 8) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if ((k === 'command' || k === 'run') && typeof v === 'string') out.push(v);
    else out.push(...hookCommands(v, depth + 1));
  }
  return out;
}

/** Every document of a skill, with SKILL.md's frontmatter parsed. */
export function buildDocs(skill: SkillInput): { docs: Doc[]; frontmatter: Frontmatter } {
  const docs: Doc[] = [];
  let frontmatter: Frontmatter = { present: false, data: {}, file: 'SKILL.md' };
  const skillMd = skill.files.find((f) => f.depth === 0 && f.path.toLowerCase() === 'skill.md');
  for (const f of skill.files) {
    if (f.text === undefined) continue;
    if (skill.source === 'mcp-config' || skill.source === 'tools-snapshot') {
      docs.push(...jsonDocs(f, skill.source));
      continue;
    }
    const kind = kindOfFile(f.path, f.text);
    if (kind === 'prose' && /\.(md|mdx|markdown|txt)$/i.test(f.path)) {
      const split = splitMarkdown(f.path, f.text);
      if (f === skillMd) {
        frontmatter = parseFrontmatter(f.path, split.frontmatter);
        if (split.frontmatter) docs.push({ file: f.path, kind: 'prose', text: split.frontmatter.text, line: split.frontmatter.line, origin: 'frontmatter' });
        for (const cmd of hookCommands(frontmatter.data.hooks)) docs.push({ file: f.path, kind: 'shell', text: cmd, line: 1, origin: 'load-time' });
      }
      docs.push(...split.docs);
    } else {
      docs.push({ file: f.path, kind, text: f.text, line: 1, origin: 'file' });
      if (/(^|\/)(hooks\.json|settings(\.local)?\.json)$/.test(f.path)) {
        try {
          const v = JSON.parse(f.text) as Record<string, unknown>;
          for (const cmd of hookCommands(v.hooks ?? v)) docs.push({ file: f.path, kind: 'shell', text: cmd, line: jsonLine(f.text, cmd), origin: 'load-time' });
        } catch {
          /* not JSON */
        }
      }
    }
  }
  return { docs, frontmatter };
}
