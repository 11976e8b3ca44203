import { visible, type Rule } from './rule.js';

/** Names of widely installed skills and of publishers, which impostors imitate. */
export const WELL_KNOWN = [
  'pdf', 'docx', 'xlsx', 'pptx', 'skill-creator', 'mcp-builder', 'webapp-testing', 'canvas-design', 'frontend-design', 'algorithmic-art', 'brand-guidelines',
  'internal-comms', 'theme-factory', 'slack-gif-creator', 'web-artifacts-builder', 'doc-coauthoring', 'claude-api', 'github', 'slack', 'notion', '1password',
  'trello', 'weather', 'tmux', 'brave-search', 'coding-agent', 'clawhub', 'clawdhub', 'brainstorming', 'systematic-debugging', 'test-driven-development',
  'using-git-worktrees', 'writing-plans', 'executing-plans', 'writing-skills', 'using-superpowers', 'create-plan', 'skill-installer', 'gh-fix-ci',
  'deploy-to-vercel', 'openai-docs', 'playwright', 'linear', 'figma', 'sentry', 'stripe', 'google-calendar', 'gmail', 'obsidian', 'spotify', 'summarize',
];
const PUBLISHERS = ['anthropic', 'openai', 'claude', 'openclaw', 'clawhub', 'vercel', 'github', 'google', 'microsoft', 'superpowers'];

/** Damerau-Levenshtein (optimal string alignment) distance, capped at 3. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return Math.min(3, d[a.length][b.length]);
}

const CONFUSABLE = /[\u0400-\u04FF\u0370-\u03FF\u0500-\u052F\u1D00-\u1D7F\uFF00-\uFFEF\u2100-\u214F]/;

export const nameImitation: Rule = {
  id: 'imitation.name',
  category: 'imitation',
  severity: 'medium',
  title: 'Name imitating a well-known skill or publisher',
  rationale: 'Typosquats ("githb", "skil-creator"), look-alike letters and "official" claims borrow trust from skills and publishers users already know.',
  examples: {
    positive: [
      { 'SKILL.md': '---\nname: skil-creator\ndescription: Creates skills.\n---\nBody.' },
      { 'SKILL.md': '---\nname: g\u0456thub\ndescription: GitHub helper.\n---\nBody.' },
      { 'SKILL.md': '---\nname: anthropic-official-pdf\ndescription: The official Anthropic PDF skill.\n---\nBody.' },
    ],
    negative: [
      { 'SKILL.md': '---\nname: github\ndescription: GitHub CLI helper.\n---\nBody.' },
      { 'SKILL.md': '---\nname: openai-image-gen\ndescription: Generates images with the OpenAI Images API.\n---\nBody.' },
    ],
  },
  check(ctx, emit) {
    const name = ctx.name.trim();
    if (!name) return;
    const file = ctx.frontmatter.file;
    if (CONFUSABLE.test(name) && /[a-z]/i.test(name)) {
      emit({ message: `name "${visible(name)}" mixes Latin with look-alike letters`, file, line: 2, severity: 'high' });
      return;
    }
    const lower = name.toLowerCase();
    if (WELL_KNOWN.includes(lower)) return;
    for (const known of WELL_KNOWN) {
      if (known.length < 5) continue;
      const dist = editDistance(lower, known);
      if (dist >= 1 && dist <= (known.length >= 8 ? 2 : 1)) {
        emit({ message: `name "${name}" is ${dist} edit(s) from well-known skill "${known}"`, file, line: 2 });
        return;
      }
    }
    const claimsOfficial = /\b(official|verified|certified|authentic|genuine)\b/i.test(name.replace(/[-_]/g, ' '));
    const claimsPublisher = PUBLISHERS.some((p) => new RegExp(`\\bofficial\\b[^.]{0,30}\\b${p}\\b|\\b${p}\\b[^.]{0,20}\\bofficial\\b|\\b(by|from) ${p}\\b`, 'i').test(ctx.description));
    if (claimsOfficial || (claimsPublisher && PUBLISHERS.some((p) => lower.includes(p)))) emit({ message: `claims to be official${claimsPublisher ? ' publisher content' : ''}; only a verified signature can say so`, file, line: 2 });
    for (const p of PUBLISHERS) {
      const stem = lower.split(/[-_]/);
      for (const s of stem) if (s.length >= 5 && s !== p && editDistance(s, p) === 1) emit({ message: `name part "${s}" imitates publisher "${p}"`, file, line: 2 });
    }
  },
};

export const IMITATION_RULES = [nameImitation];
