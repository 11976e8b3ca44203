/** Indicator lists shared by the analysers and rules: hosts, paths and names with a known meaning. */

/** 1-based line number of a string index. */
export function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Precomputed line starts for repeated lookups on one text. */
export function lineIndex(text: string): (index: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (index: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export const URL_RE = /\b((?:https?|wss?|ftp|stratum\+(?:tcp|ssl|tls)):\/\/[^\s"'`<>)\]}]+)/gi;

/** Host of a URL-ish string (lower case), or undefined. */
export function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?#\s]+)/i.exec(url);
  return m ? m[1].toLowerCase() : undefined;
}

/** Hosts that never leave the machine. */
export function isLocalHost(host: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)$/.test(host) || host.endsWith('.localhost');
}

export function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

/** Paste and anonymous file-drop sites used to host second-stage payloads. */
export const PASTE_HOST = /(^|\.)(pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.[a-z]+|rentry\.(co|org)|glot\.io|dpaste\.(com|org)|controlc\.com|justpaste\.it|paste\.rs|termbin\.com|ix\.io|sprunge\.us|transfer\.sh|anonfiles\.com|file\.io|gofile\.io|mediafire\.com|mega\.nz|catbox\.moe|0x0\.st|temp\.sh|bashupload\.com)$/i;

/** Collection endpoints and tunnels: data sent there reaches whoever holds the link. */
export const DROP_HOST = /(^|\.)(webhook\.site|requestbin\.(com|net)|pipedream\.net|m\.pipedream\.net|ngrok\.io|ngrok-free\.app|ngrok-free\.dev|ngrok\.app|ngrok\.dev|trycloudflare\.com|loca\.lt|serveo\.net|localtunnel\.me|interact\.sh|oast\.(fun|live|me|pro|site|online)|burpcollaborator\.net|canarytokens\.com|hookbin\.com|beeceptor\.com|requestcatcher\.com)$/i;

/** Chat bot endpoints often abused as exfiltration drops. */
export const DROP_URL = /discord(app)?\.com\/api\/webhooks\/|api\.telegram\.org\/bot/i;

/** Mining pools and stratum endpoints. */
export const POOL_RE = /stratum\+(tcp|ssl|tls):\/\/|\b[a-z0-9.-]*(nanopool\.org|2miners\.com|minexmr\.com|supportxmr\.com|moneroocean\.stream|hashvault\.pro|c3pool\.(com|org)|f2pool\.com|nicehash\.com|herominers\.com|unmineable\.com|xmrpool\.eu|monerohash\.com|ethermine\.org|viabtc\.(com|net)|antpool\.com|poolin\.com|zpool\.ca|miningpoolhub\.com|kryptex\.network)\b/i;

/** Miner programs by name. */
export const MINER_BIN = /\b(xmrig|xmr-stak|cpuminer(-multi|-opt)?|minerd|cgminer|bfgminer|ethminer|t-rex|lolminer|nbminer|phoenixminer|ccminer|gminer|teamredminer|srbminer(-multi)?|nanominer|xmrig-proxy|claymore)\b/i;

/** Miner configuration keys and algorithms. */
export const MINER_CONFIG = /"(donate-level|donate-over-proxy|randomx|cpu-priority|max-cpu-usage)"\s*:|"algo"\s*:\s*"(rx\/0|cn\/[a-z0-9]+|randomx|kawpow|ethash|cryptonight)|--donate-level\b|\brx\/0\b|\bcryptonight\b|\brandomx\b/i;

/** Wallet addresses: Monero, Bitcoin bech32 and legacy. */
export const WALLET_RE = /\b(4[0-9AB][1-9A-HJ-NP-Za-km-z]{93}|8[0-9AB][1-9A-HJ-NP-Za-km-z]{93}|bc1[ac-hj-np-z02-9]{38,58})\b/;

/** Paths and names of credentials and private data, with the kind each one is. */
export const SENSITIVE_PATHS: { re: RegExp; what: string }[] = [
  { re: /\.ssh\/(id_[a-z0-9_]+|authorized_keys|known_hosts)|\bid_(rsa|ed25519|ecdsa|dsa)\b/i, what: 'SSH keys' },
  { re: /\.aws\/(credentials|config)|\.azure\/|\.config\/gcloud|application_default_credentials\.json|\.kube\/config|\.docker\/config\.json/i, what: 'cloud credentials' },
  { re: /\.(npmrc|pypirc|netrc|git-credentials)\b|\.config\/gh\/hosts\.yml/i, what: 'package/registry tokens' },
  { re: /wallet\.dat|\.bitcoin\/|\.electrum\/|\.ethereum\/keystore|Exodus\/exodus\.wallet|nkbihfbeogaeaoehlefnkodbefgpgknn|\.solana\/id\.json|metamask/i, what: 'crypto wallets' },
  { re: /Login Data|\bCookies\b.{0,40}(Chrome|Chromium|Default)|(Chrome|Chromium|Default).{0,40}\bCookies\b|logins\.json|key[34]\.db|Local State|\.mozilla\/firefox|Google\/Chrome\/User Data|Library\/Application Support\/(Google|BraveSoftware)/i, what: 'browser profiles' },
  { re: /(^|[\s"'/~])\.env(\.local|\.production)?\b(?!\.example|\.sample|\.template)/i, what: '.env files' },
  { re: /\.claude\/(\.credentials\.json|projects\/)|\.claude\.json\b|\.(openclaw|clawdbot|moltbot)\/(credentials|agents|memory|sessions|[\w.-]+\.json)|\bMEMORY\.md\b|\bSOUL\.md\b|\.cursor\/mcp\.json|claude_desktop_config\.json|\.codex\/auth\.json|\.gemini\/(oauth_creds|settings)\.json|\.continue\/config/i, what: 'agent memory and config files' },
  { re: /\/etc\/shadow|\.gnupg\/|\.password-store|Keychains\/|login\.keychain|\.kdbx\b/i, what: 'system secrets and keychains' },
];

/** Any of SENSITIVE_PATHS, as one regex for a fast first test. */
export const SENSITIVE_ANY = new RegExp(SENSITIVE_PATHS.map((p) => `(?:${p.re.source})`).join('|'), 'i');

/** The kind of sensitive data a string names, or undefined. */
export function sensitiveKind(s: string): string | undefined {
  if (!SENSITIVE_ANY.test(s)) return undefined;
  return SENSITIVE_PATHS.find((p) => p.re.test(s))?.what;
}

/** Environment variable names that hold secrets. */
export const SECRET_ENV = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|SESSION|COOKIE|AUTH)/i;

/** Interpreters: what is piped into one of these runs. */
export const INTERPRETERS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash', 'mksh', 'csh', 'tcsh', 'busybox', 'python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'iex', 'invoke-expression', 'powershell', 'pwsh', 'cmd', 'source', '.', 'osascript']);

/** Commands that fetch from the network. */
export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm', 'http', 'xh', 'scp', 'rsync', 'nc', 'ncat', 'netcat', 'socat', 'ftp', 'tftp', 'certutil', 'bitsadmin']);

/** Programs that reach the network (downloaders plus DNS, mail and remote shells: all can carry data out). */
export const NET_TOOLS = new Set([...DOWNLOADERS, 'dig', 'nslookup', 'host', 'drill', 'ping', 'ssh', 'telnet', 'mail', 'sendmail', 'mutt', 'wget2', 'lynx', 'openssl']);

/** Well-known vendor installer hosts: `curl URL | sh` from these is documented practice. */
export const VENDOR_INSTALL_HOST = /(^|\.)(sh\.rustup\.rs|bun\.sh|deno\.land|get\.docker\.com|astral\.sh|brew\.sh|raw\.githubusercontent\.com\/Homebrew|install\.python-poetry\.org|get\.pnpm\.io|nodejs\.org|deb\.nodesource\.com|cli\.github\.com|claude\.ai|sdk\.cloud\.google\.com|awscli\.amazonaws\.com|vercel\.com|fly\.io|get\.helm\.sh|ollama\.com|starship\.rs|tailscale\.com|pkgx\.sh|mise\.run|volta\.sh|opencode\.ai|openclaw\.ai|foundry\.paradigm\.xyz|cursor\.com|railway\.app|supabase\.com|netlify\.com|cloudflare\.com|uv\.astral\.sh)$/i;
