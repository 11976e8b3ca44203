import { hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, invalid } from '../core/errors.js';
import { TransportError } from '../routing/transport.js';

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
  const raw = await collect(
    req,
    limit,
    () => new GatewayError('too_large', `request body exceeds the limit of ${limit} bytes`),
    () => new TransportError('aborted', 'the client went away while sending its request'),
    true,
  );
  const text = raw.toString('utf8');
  if (!/\S/.test(text)) throw invalid('request body is empty; send a JSON object');
  try {
    return { json: JSON.parse(text), sha256: hash('sha256', raw, 'hex') };
  } catch (err) {
    throw invalid(`request body is not valid JSON: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
}

/**
 * Reads a stream to its end into one Buffer, failing with `tooLarge()` (and destroying the stream)
 * once it passes `limit` bytes, or with `closed()` when the stream closes before its end. Plain listeners rather than an async iterator: this runs on every request.
 */
export function collect(
  stream: Readable,
  limit: number,
  tooLarge: () => Error,
  closed: () => Error = () => new Error('the stream closed before its end'),
  drainOnOverflow = false,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // A client upload is left to the HTTP server, which discards the rest once the error answer
        // is sent (destroying it would cut the connection before the answer); an upstream body is cut.
        if (drainOnOverflow) stream.resume();
        else stream.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(closed());
    };
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
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
