import type { Doc, SkillInput } from '../types.js';
import { analyzeCode, type CodeFacts } from './code.js';
import { buildDocs, type Frontmatter } from './docs.js';
import { hostOf, NET_TOOLS, lineIndex, isLocalHost, SECRET_ENV, sensitiveKind, URL_RE } from './indicators.js';
import { analyzeShell, programOf, type ShellFacts } from './shell.js';

export interface Egress {
  host: string;
  url: string;
  file: string;
  line: number;
  /** code/shell: the skill's own code sends it; config: a configured endpoint; prose: mentioned in text. */
  via: 'code' | 'shell' | 'config' | 'prose';
  /** Sends data (POST, upload, -d @file) rather than only fetching. */
  sends: boolean;
}

export interface CredSource {
  what: string;
  file: string;
  line: number;
  via: 'code' | 'shell' | 'config' | 'prose';
  kind: 'file' | 'env-dump' | 'secret-env';
}

const EXEC_CALLEE = /(^|\.)(exec|execSync|execFile|execFileSync|spawn|spawnSync|system|popen|Popen|run|call|check_call|check_output|getoutput|getstatusoutput|execa|execaSync|spawnProcess|shell)$/;
const EVAL_CALLEE = /^(eval|exec|execfile|Function|compile|vm\.runInNewContext|vm\.runInThisContext|vm\.runInContext|runInNewContext|new\.Function|window\.eval|globalThis\.eval|setTimeout|setInterval|builtins\.exec|__builtins__\.exec)$/;
const NET_CALLEE = /^(fetch|axios|axios\.\w+|got|got\.\w+|request|superagent\.\w+|needle|https?\.(request|get)|net\.(connect|createConnection)|tls\.connect|WebSocket|XMLHttpRequest|requests\.\w+|httpx\.\w+|(urllib\.request\.)?urlopen|urllib\.request\.Request|urllib3\.\w+|aiohttp\.\w+|session\.(get|post|put|patch|request)|\w*[Ss]ession\.(post|put)|client\.(post|put)|socket\.(connect|create_connection)|s\.connect|sock\.connect|http\.client\.\w+|HTTPSConnection|HTTPConnection|smtplib\.SMTP\w*|ftplib\.FTP\w*|paramiko\.\w+|navigator\.sendBeacon|sendBeacon)$/;
const SEND_CALLEE = /(post|put|patch|send|sendBeacon|sendall|upload|request|urlopen|Request|connect|Connection)$/i;

export interface SkillContext {
  skill: SkillInput;
  docs: Doc[];
  frontmatter: Frontmatter;
  name: string;
  description: string;
  allowedTools?: string[];
  declaredEnv: Set<string>;
  declaredBins: Set<string>;
  /** The skill declares requirements (OpenClaw `requires`), so undeclared use is meaningful. */
  hasRequires: boolean;
  /** Lower-cased prose of all markdown, for "is this mentioned anywhere" checks. */
  prose: string;
  /** The skill's stated purpose is defensive security work (detection, incident response, scanning). */
  defensive: boolean;
  code: Map<Doc, CodeFacts>;
  shell: Map<Doc, ShellFacts>;
  /** Shell docs including commands found inside code exec calls, substitutions and here-documents. */
  shellDocs: Doc[];
  egress: Egress[];
  creds: CredSource[];
  /** Programs run by the skill's scripts and command blocks. */
  programs: { name: string; file: string; line: number }[];
  envUsed: { name: string; file: string; line: number }[];
}

function collectRequires(node: unknown, env: Set<string>, bins: Set<string>, depth = 0): boolean {
  if (!node || typeof node !== 'object' || depth > 6) return false;
  let found = false;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'requires' && v && typeof v === 'object') {
      found = true;
      const r = v as Record<string, unknown>;
      for (const e of [r.env, r.envs, r.environment].flat()) if (typeof e === 'string') env.add(e);
      for (const b of [r.bins, r.anyBins, r.binaries].flat()) if (typeof b === 'string') bins.add(b);
    }
    if (k === 'primaryEnv' && typeof v === 'string') env.add(v);
    if (k === 'bins' && Array.isArray(v)) for (const b of v) if (typeof b === 'string') bins.add(b);
    if (collectRequires(v, env, bins, depth + 1)) found = true;
  }
  return found;
}

function toolList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(/,(?![^(]*\))|\s+(?![^(]*\))/).map((s) => s.trim()).filter(Boolean);
  return undefined;
}

const COMMANDISH = /^\s*(sudo\s+)?(curl|wget|bash|sh|zsh|python3?|node|chmod|rm|nc|powershell|pwsh|cmd|xmrig|echo|cat|tar|unzip|git|npm|pip|base64)\b/;

/** Parses, tokenizes and correlates a skill once; every rule reads this context. */
export function buildContext(skill: SkillInput): SkillContext {
  const { docs, frontmatter } = buildDocs(skill);
  const fm = frontmatter.data;
  const declaredEnv = new Set<string>();
  const declaredBins = new Set<string>();
  const hasRequires = collectRequires(fm, declaredEnv, declaredBins);
  let meta = fm.metadata;
  if (typeof meta === 'string') {
    try {
      meta = JSON.parse(meta);
      collectRequires(meta, declaredEnv, declaredBins);
    } catch {
      /* metadata as free text */
    }
  }
  const name = typeof fm.name === 'string' ? fm.name : '';
  const description = typeof fm.description === 'string' ? fm.description : '';
  const prose = docs.filter((d) => d.kind === 'prose').map((d) => d.text).join('\n').toLowerCase();
  const purpose = `${name} ${description}`.toLowerCase();
  const defensive = /\b(detect\w*|security|threats?|incidents?|incident response|forensics?|malware|iocs?|indicators? of compromise|yara|sigma|siem|audit\w*|scanner|scan for|hunt\w*|triage|vulnerabilit\w*|red team|blue team|soc analyst|edr|antivirus|prompt[- ]injection|injection attacks?|defen[cs]e)\b/.test(purpose);
  const ctx: SkillContext = {
    skill, docs, frontmatter, name, description, allowedTools: toolList(fm['allowed-tools'] ?? fm.allowed_tools ?? fm.allowedTools),
    declaredEnv, declaredBins, hasRequires, prose, defensive,
    code: new Map(), shell: new Map(), shellDocs: [], egress: [], creds: [], programs: [], envUsed: [],
  };
  const addShellDoc = (raw: Doc, depth = 0) => {
    if (depth > 4 || !raw.text.trim()) return;
    // Fullwidth and compatibility forms (ｃｕｒｌ) read as what they normalise to.
    const d = /[^\x00-\x7f]/.test(raw.text) ? { ...raw, text: raw.text.normalize('NFKC') } : raw;
    const f = analyzeShell(d.text);
    ctx.shell.set(d, f);
    ctx.shellDocs.push(d);
    for (const nested of f.nested) addShellDoc({ ...d, text: nested.text, line: d.line + nested.line - 1 }, depth + 1);
    // sh -c 'script', bash -lc "...": the argument is itself a script; so is text echoed into
    // crontab, at or a shell.
    for (const p of f.pipelines) {
      const sink = programOf(p.cmds[p.cmds.length - 1].argv).name;
      if (p.cmds.length > 1 && ['crontab', 'at', 'batch', 'sh', 'bash', 'zsh', 'tee'].includes(sink)) {
        for (const c of p.cmds.slice(0, -1)) {
          const pr = programOf(c.argv);
          if (pr.name === 'echo' || pr.name === 'printf') for (const a of pr.args) if (/\s/.test(a)) addShellDoc({ ...d, text: a.replace(/^([*\d/,-]+\s+){5}/, ''), line: d.line + c.line - 1 }, depth + 1);
        }
      }
      for (const c of p.cmds) {
        const prog = programOf(c.argv);
        if (!['sh', 'bash', 'zsh', 'dash', 'ksh', 'su', 'script'].includes(prog.name)) continue;
        const i = prog.args.findIndex((a) => /^-[a-z]*c$/.test(a));
        if (i >= 0 && prog.args[i + 1]) addShellDoc({ ...d, text: prog.args[i + 1], line: d.line + c.line - 1 }, depth + 1);
      }
    }
  };
  for (const d of docs) {
    if (d.kind === 'js' || d.kind === 'ts' || d.kind === 'python') {
      const facts = analyzeCode(d.text, d.kind);
      ctx.code.set(d, facts);
      for (const c of facts.calls) {
        if (!EXEC_CALLEE.test(c.callee) && !/^(exec|eval)$/.test(c.callee)) continue;
        const joined = c.strings.length > 1 && !c.strings.some((s) => /\s/.test(s)) ? c.strings.join(' ') : c.strings.find((s) => COMMANDISH.test(s) || /\|\s*(ba)?sh\b/.test(s));
        const cmd = joined ?? c.strings.find((s) => /\s/.test(s) && COMMANDISH.test(s));
        if (cmd) addShellDoc({ file: d.file, kind: 'shell', text: cmd.replace(/^(ba)?sh -c /, ''), line: d.line + c.line - 1, origin: d.origin });
      }
    } else if (d.kind === 'shell' || d.kind === 'command') addShellDoc(d);
  }
  const loc = (d: Doc, line: number) => ({ file: d.file, line: d.line + line - 1 });

  // Egress and credential sources from code. Code blocks in reference documents (not SKILL.md)
  // are examples: they count as prose, not as what the skill does.
  const isExample = (d: Doc) => d.origin === 'code-block' && d.file.toLowerCase() !== 'skill.md';
  for (const [d, f] of ctx.code) {
    const via = isExample(d) ? 'prose' : 'code';
    const hasNet = f.calls.some((c) => NET_CALLEE.test(c.callee) || /^(requests|httpx|axios|aiohttp|urllib)\./.test(c.callee));
    for (const c of f.calls) {
      if (!(NET_CALLEE.test(c.callee) || /^(requests|httpx|axios)\.\w+$/.test(c.callee))) continue;
      const urls = c.strings.flatMap((s) => [...s.matchAll(URL_RE)].map((m) => m[1]));
      const sends = SEND_CALLEE.test(c.callee) || c.strings.some((s) => /^(POST|PUT|PATCH)$/i.test(s)) || c.names.some((n) => /^(data|json|body|files|method)$/.test(n));
      const bareHost = urls.length === 0 ? c.strings.find((s) => /^([a-z0-9-]+\.)+[a-z]{2,}$|^\d{1,3}(\.\d{1,3}){3}$/i.test(s) && !/\.(json|txt|md|py|js|csv|html|xml|ya?ml|log)$/i.test(s)) : undefined;
      if (bareHost && !isLocalHost(bareHost.toLowerCase())) ctx.egress.push({ host: bareHost.toLowerCase(), url: bareHost, ...loc(d, c.line), via, sends: sends || /^\d/.test(bareHost) });
      else if (urls.length === 0) ctx.egress.push({ host: '?', url: '', ...loc(d, c.line), via, sends });
      for (const u of urls) {
        const host = hostOf(u) ?? '?';
        if (!isLocalHost(host)) ctx.egress.push({ host, url: u, ...loc(d, c.line), via, sends });
      }
    }
    if (hasNet) {
      for (const s of f.strings) {
        if (!s.value.includes('://')) continue;
        for (const m of s.value.matchAll(URL_RE)) {
          const host = hostOf(m[1]) ?? '?';
          if (!isLocalHost(host) && !ctx.egress.some((e) => e.url === m[1])) ctx.egress.push({ host, url: m[1], ...loc(d, s.line), via, sends: false });
        }
      }
    }
    for (const s of f.strings) {
      const what = sensitiveKind(s.value);
      if (what) ctx.creds.push({ what, ...loc(d, s.line), via, kind: 'file' });
    }
    for (const l of f.envDump) ctx.creds.push({ what: 'the whole environment', ...loc(d, l), via, kind: 'env-dump' });
    for (const e of f.envVars) {
      ctx.envUsed.push({ name: e.name, ...loc(d, e.line) });
      if (SECRET_ENV.test(e.name) && d.origin === 'file') ctx.creds.push({ what: `secret env var ${e.name}`, ...loc(d, e.line), via, kind: 'secret-env' });
    }
  }
  // Egress, credential sources and programs from shell.
  for (const d of ctx.shellDocs) {
    const f = ctx.shell.get(d) as ShellFacts;
    const via = isExample(d) ? 'prose' : 'shell';
    for (const p of f.pipelines) {
      for (const cmd of p.cmds) {
        const prog = programOf(cmd.argv);
        if (!prog.name) continue;
        ctx.programs.push({ name: prog.name, ...loc(d, cmd.line) });
        const words = prog.args.join(' ');
        if (NET_TOOLS.has(prog.name)) {
          const sends = /(^|\s)(-d|--data(-binary|-raw|-urlencode)?|-F|--form|-T|--upload-file|-X\s*(POST|PUT)|--post-(data|file)|--body-file)\b/.test(` ${words}`) || (!/^(curl|wget|fetch|aria2c|http|xh|iwr|irm|invoke-webrequest|invoke-restmethod)$/.test(prog.name) && /\$/.test(words));
          for (const a of prog.args) {
            const m = /^(?:[a-z0-9+.-]+:\/\/)?([^\s/:@]+\.[a-z]{2,}|\d+\.\d+\.\d+\.\d+)(?::\d+)?(\/|$)/i.exec(a);
            const url = /:\/\//.test(a) ? a : m && !a.startsWith('-') && !a.startsWith('@') ? `https://${a}` : '';
            const host = url ? hostOf(url) : undefined;
            if (host && !isLocalHost(host)) ctx.egress.push({ host, url, ...loc(d, cmd.line), via, sends });
          }
        }
        for (const a of cmd.argv) {
          const what = sensitiveKind(a);
          if (what) ctx.creds.push({ what, ...loc(d, cmd.line), via, kind: 'file' });
        }
        if (['env', 'printenv', 'set', 'export'].includes(prog.name) && prog.args.length === 0) ctx.creds.push({ what: 'the whole environment', ...loc(d, cmd.line), via, kind: 'env-dump' });
      }
    }
    for (const e of f.envVars) {
      ctx.envUsed.push({ name: e.name, ...loc(d, e.line) });
      if (SECRET_ENV.test(e.name) && d.origin === 'file') ctx.creds.push({ what: `secret env var ${e.name}`, ...loc(d, e.line), via, kind: 'secret-env' });
    }
  }
  // Configured endpoints.
  for (const d of docs) {
    if (d.kind !== 'config') continue;
    const at = lineIndex(d.text);
    for (const m of d.text.matchAll(URL_RE)) {
      const host = hostOf(m[1]) ?? '?';
      if (!isLocalHost(host)) ctx.egress.push({ host, url: m[1], file: d.file, line: d.line + at(m.index ?? 0) - 1, via: 'config', sends: false });
    }
  }
  return ctx;
}


export { EVAL_CALLEE, EXEC_CALLEE, NET_CALLEE };
