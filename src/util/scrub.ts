/**
 * Removes credentials from text that came from outside (upstream error bodies) before it reaches
 * a client or a log: the exact secrets we know, and anything shaped like a common API key.
 */
const KEY_SHAPES = /\b(?:sk-(?:ant-)?[A-Za-z0-9_-]{8,}|trk_[A-Za-z0-9_-]{8,}|AIza[A-Za-z0-9_-]{20,}|AKIA[A-Z0-9]{12,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,})/g;

export function scrubSecrets(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('[redacted]');
  return out.replace(KEY_SHAPES, '[redacted]');
}
