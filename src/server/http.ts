import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, invalid } from '../core/errors.js';

/** Reads a JSON body up to `limit` bytes; 413 past it, 400 for malformed JSON. Never throws anything else. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  return (await readBody(req, limit)).json;
}

/** Like readJson, also returning the SHA-256 of the raw bytes (for the ledger). */
export async function readBody(req: IncomingMessage, limit: number): Promise<{ json: unknown; sha256: string }> {
  // No content-type is tolerated; one that says the body is something else (a form, text, XML) is refused.
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type && type !== 'application/json' && !type.endsWith('+json'))
    throw new GatewayError('invalid_request', `content-type "${type.slice(0, 80)}" is not supported; send the body as JSON with "Content-Type: application/json"`, { status: 415 });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new GatewayError('too_large', `request body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new GatewayError('too_large', `request body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const text = raw.toString('utf8');
  if (!text.trim()) throw invalid('request body is empty; send a JSON object');
  try {
    return { json: JSON.parse(text), sha256: createHash('sha256').update(raw).digest('hex') };
  } catch (err) {
    throw invalid(`request body is not valid JSON: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers);
}

export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes to a response, waiting for 'drain' when the client is slower than the upstream. */
export function write(res: ServerResponse, data: string): Promise<void> | undefined {
  if (!data || res.destroyed) return undefined;
  if (res.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}

/** The presented key: Authorization: Bearer (OpenAI clients) or x-api-key (Anthropic clients). */
export function presentedKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1].trim();
  }
  const x = req.headers['x-api-key'];
  return typeof x === 'string' && x ? x.trim() : undefined;
}
