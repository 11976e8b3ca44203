/** A simple command: its words after quote removal and expansion of variables set earlier. */
export interface ShellCommand {
  argv: string[];
  line: number;
}

/** Commands joined by pipes; `after` is the operator that ended the pipeline (`;`, `&&`, newline...). */
export interface Pipeline {
  cmds: ShellCommand[];
  line: number;
}

export interface ShellFacts {
  pipelines: Pipeline[];
  /** Bodies of $(...), `...`, <(...) and here-documents, with the line they start on. */
  nested: { text: string; line: number; kind: 'command-substitution' | 'process-substitution' | 'heredoc' }[];
  envVars: { name: string; line: number }[];
}

const SHELL_BUILTIN_VARS = /^(HOME|PATH|PWD|USER|SHELL|TMPDIR|LANG|TERM|OLDPWD|IFS|RANDOM|LINENO|SECONDS|BASH_SOURCE|BASH_VERSION|OSTYPE|HOSTNAME|UID|EUID|PPID|REPLY|OPTARG|OPTIND|\d|@|\*|#|\?|!|-|0)$/;

/**
 * Tokenizes POSIX shell (bash, sh, zsh) into pipelines of simple commands, following quotes,
 * escapes, comments, $(...) / backticks / <(...) (reported as nested text to analyse again),
 * here-documents and `NAME=value` assignments, whose values are substituted into later words so
 * `a=cu; b=rl; $a$b ...` reads as `curl ...`. It never executes anything and never throws.
 */
export function analyzeShell(src: string): ShellFacts {
  const facts: ShellFacts = { pipelines: [], nested: [], envVars: [] };
  const vars = new Map<string, string>();
  let i = 0;
  let line = 1;
  const n = src.length;
  let words: string[] = [];
  let cmds: ShellCommand[] = [];
  let word = null as string | null;
  let cmdLine = 1;
  let pipeLine = 1;
  const pendingHeredocs: { delim: string; strip: boolean }[] = [];

  const endWord = () => {
    if (word !== null) {
      if (words.length === 0 && cmds.length === 0 && words.length === 0) cmdLine = cmdLine || line;
      words.push(word);
      word = null;
    }
  };
  const endCmd = () => {
    endWord();
    // leading assignments
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
      const eq = words[0].indexOf('=');
      vars.set(words[0].slice(0, eq), words[0].slice(eq + 1));
      words.shift();
    }
    if (words.length) cmds.push({ argv: words, line: cmdLine });
    words = [];
  };
  const endPipeline = () => {
    endCmd();
    if (cmds.length) facts.pipelines.push({ cmds, line: pipeLine });
    cmds = [];
  };
  const startIfNeeded = () => {
    if (word === null) {
      word = '';
      if (words.length === 0) {
        cmdLine = line;
        if (cmds.length === 0) pipeLine = line;
      }
    }
  };
  const matchParen = (from: number): number => {
    let depth = 1;
    let k = from;
    let q: string | null = null;
    while (k < n && depth > 0) {
      const c = src[k];
      if (q) {
        if (c === q) q = null;
        else if (c === '\\' && q === '"') k++;
      } else if (c === "'" || c === '"') q = c;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      k++;
    }
    return k;
  };
  const expandVar = (): string => {
    // at src[i] === '$'
    let name = '';
    if (src[i + 1] === '{') {
      const end = src.indexOf('}', i + 2);
      const body = src.slice(i + 2, end < 0 ? n : end);
      name = body.match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0] ?? body;
      i = end < 0 ? n : end + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?!$-]/.exec(src.slice(i + 1, i + 64));
      if (!m) {
        i++;
        return '$';
      }
      name = m[0];
      i += 1 + name.length;
    }
    if (vars.has(name)) return vars.get(name) as string;
    if (/^[A-Za-z_]\w*$/.test(name) && !SHELL_BUILTIN_VARS.test(name)) facts.envVars.push({ name, line });
    return `$${name}`;
  };

  while (i < n) {
    const c = src[i];
    if (c === '\n') {
      endPipeline();
      line++;
      i++;
      for (const h of pendingHeredocs.splice(0)) {
        const startLine = line;
        const body: string[] = [];
        while (i < n) {
          const eol = src.indexOf('\n', i);
          const ln = src.slice(i, eol < 0 ? n : eol);
          i = eol < 0 ? n : eol + 1;
          line++;
          if ((h.strip ? ln.trim() : ln) === h.delim) break;
          body.push(ln);
        }
        facts.nested.push({ text: body.join('\n'), line: startLine, kind: 'heredoc' });
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && word === null) {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (src[i + 1] === '\n') {
        i += 2;
        line++;
        continue;
      }
      startIfNeeded();
      word += src[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === "'") {
      startIfNeeded();
      const end = src.indexOf("'", i + 1);
      const s = src.slice(i + 1, end < 0 ? n : end);
      for (const ch of s) if (ch === '\n') line++;
      word += s;
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === '"') {
      startIfNeeded();
      i++;
      while (i < n && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < n) {
          word += src[i + 1];
          i += 2;
        } else if (src[i] === '$' && src[i + 1] === '(') {
          const end = matchParen(i + 2);
          facts.nested.push({ text: src.slice(i + 2, end - 1), line, kind: 'command-substitution' });
          word += `$(${src.slice(i + 2, end - 1)})`;
          i = end;
        } else if (src[i] === '$') {
          word += expandVar();
        } else {
          if (src[i] === '\n') line++;
          word += src[i++];
        }
      }
      i++;
      continue;
    }
    if (c === '$' && src[i + 1] === '(') {
      startIfNeeded();
      const end = matchParen(i + 2);
      facts.nested.push({ text: src.slice(i + 2, end - 1), line, kind: 'command-substitution' });
      word += `$(${src.slice(i + 2, end - 1)})`;
      i = end;
      continue;
    }
    if (c === '`') {
      startIfNeeded();
      const end = src.indexOf('`', i + 1);
      const body = src.slice(i + 1, end < 0 ? n : end);
      facts.nested.push({ text: body, line, kind: 'command-substitution' });
      word += `$(${body})`;
      i = end < 0 ? n : end + 1;
      continue;
    }
    if ((c === '<' || c === '>') && src[i + 1] === '(') {
      endWord();
      const end = matchParen(i + 2);
      facts.nested.push({ text: src.slice(i + 2, end - 1), line, kind: 'process-substitution' });
      words.push(`<(${src.slice(i + 2, end - 1)})`);
      i = end;
      continue;
    }
    if (c === '$') {
      startIfNeeded();
      word += expandVar();
      continue;
    }
    if (c === '<' && src[i + 1] === '<' && src[i + 2] !== '<') {
      endWord();
      let k = i + 2;
      const strip = src[k] === '-';
      if (strip) k++;
      while (src[k] === ' ') k++;
      const m = /^["']?([A-Za-z_][\w-]*)["']?/.exec(src.slice(k));
      if (m) {
        pendingHeredocs.push({ delim: m[1], strip });
        i = k + m[0].length;
        continue;
      }
    }
    if (c === '|' || c === ';' || c === '&' || c === '(' || c === ')' || c === '{' || c === '}') {
      if (c === '|' && src[i + 1] !== '|') {
        endCmd();
        i++;
        if (src[i] === '&') i++;
        continue;
      }
      if ((c === '{' || c === '}') && word !== null) {
        word += c;
        i++;
        continue;
      }
      if (c === '&' && src[i + 1] === '>') {
        endWord();
        i += 2;
        continue;
      }
      if (c === '(' || c === ')') {
        // Subshell grouping: `( a; b ) | c` pipes b's output into c, so a group boundary ends the
        // command but leaves the pipeline open.
        endCmd();
        i++;
        continue;
      }
      endPipeline();
      i += c === src[i + 1] ? 2 : 1;
      continue;
    }
    if ((c === '>' || c === '<') && word === null) {
      // redirection: the target is the next word, kept so `> /tmp/x` stays visible
      let k = i + 1;
      if (src[k] === '>' || src[k] === '&') k++;
      words.push(c === '>' ? '>' : '<');
      i = k;
      continue;
    }
    startIfNeeded();
    word += c;
    i++;
  }
  endPipeline();
  return facts;
}

/** The program a command runs, skipping wrappers like sudo, env, nohup, time, exec, command. */
const PROGRAM = new WeakMap<string[], { name: string; args: string[] }>();

export function programOf(argv: string[]): { name: string; args: string[] } {
  let p = PROGRAM.get(argv);
  if (!p) {
    p = computeProgram(argv);
    PROGRAM.set(argv, p);
  }
  return p;
}

function computeProgram(argv: string[]): { name: string; args: string[] } {
  let k = 0;
  while (k < argv.length) {
    const w = argv[k];
    const base = w.split('/').pop() ?? w;
    if (['sudo', 'doas', 'nohup', 'time', 'exec', 'command', 'builtin', 'nice', 'stdbuf', 'xargs', 'timeout', 'busybox', 'toybox', 'setsid', 'ionice', 'chroot', 'unbuffer'].includes(base)) {
      k++;
      while (k < argv.length && argv[k].startsWith('-')) k++;
      if (base === 'timeout' && k < argv.length && /^\d/.test(argv[k])) k++;
      continue;
    }
    if (base === 'env') {
      k++;
      while (k < argv.length && (argv[k].startsWith('-') || argv[k].includes('='))) k++;
      continue;
    }
    return { name: base.toLowerCase(), args: argv.slice(k + 1) };
  }
  return { name: '', args: [] };
}
