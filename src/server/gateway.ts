import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { KeyStore, modelAllowed, safeEqual, type KeyRecord } from '../auth/keys.js';
import type { Config } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import { Pipeline, type Outcome, type RequestContext, type Stage } from '../core/pipeline.js';
import { anthropicMessages } from '../protocols/anthropic-messages.js';
import { openaiChat } from '../protocols/openai-chat.js';
import { openaiResponses } from '../protocols/openai-responses.js';
import type { ClientProtocol } from '../protocols/types.js';
import type { RetryPolicy } from '../routing/execute.js';
import { Router } from '../routing/router.js';
import { Transport } from '../routing/transport.js';
import { openDatabase, type Db } from '../store/sqlite.js';
import { completeChat, isAbortLike, sendError, streamChat } from './chat.js';
import { handleAdmin } from './admin.js';
import { handleCountTokens, handleEmbeddings, handleModel, handleModels } from './endpoints.js';
import { clientIp, presentedKey, readBody, sendJson } from './http.js';
import { Ledger } from '../ledger/ledger.js';
import { loadOrCreateIdentity, type GatewayIdentity } from '../ledger/signing.js';
import { priceFromConfig, type Price } from '../metering/meter.js';
import type { Billing } from '../metering/settle.js';
import { BudgetStore } from '../limits/budget.js';
import { CredentialStore, loadMasterKey } from '../auth/credentials.js';
import { AlertSink } from '../alerts/alerts.js';
import { anomalyStage, DEFAULT_ANOMALY } from '../alerts/stage.js';
import { integrityStage, loadMonitor, saveMonitor } from '../integrity/gateway-stage.js';
import type { IntegrityMonitor } from '../integrity/monitor.js';
import { ActiveProber } from '../integrity/prober.js';
import { limitsStage } from '../limits/stage.js';
import { Cancel } from '../util/cancel.js';

export interface GatewayOptions {
  dataDir: string;
  logger?: Logger;
  /**
   * false runs the bare relay core: no limits, metering, ledger, receipts or alerts. Only for
   * measuring what those cost (`npm run bench -- --stages core`); `serve` always meters.
   */
  metering?: boolean;
  /** Pipeline stages in request order, after the built-in limits stage. */
  stages?: Stage[] | ((db: Db) => Stage[]);
}

export interface Gateway {
  cfg: Config;
  db: Db;
  keys: KeyStore;
  router: Router;
  transport: Transport;
  pipeline: Pipeline;
  retryPolicy: RetryPolicy;
  log: Logger;
  server: http.Server;
  adminToken: string;
  identity: GatewayIdentity;
  /** Undefined only for a bare relay core (GatewayOptions.metering false). */
  billing?: Billing;
  budgets: BudgetStore;
  alerts: AlertSink;
  monitor: IntegrityMonitor;
  /** Upstream ids routing skips (failed integrity status, with integrity.quarantine). */
  quarantined: Set<string>;
  /** Scheduled active probes, when integrity.probes.enabled. */
  prober?: ActiveProber;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** The admin token: from config, else TRUSTRELAY_ADMIN_TOKEN, else a file in the data dir made on first start (0600). */
function resolveAdminToken(cfg: Config, dataDir: string): string {
  if (cfg.server.admin_token) return cfg.server.admin_token;
  if (process.env.TRUSTRELAY_ADMIN_TOKEN) return process.env.TRUSTRELAY_ADMIN_TOKEN;
  const file = path.join(dataDir, 'admin-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const token = `tra_${randomBytes(32).toString('base64url')}`;
  fs.writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' });
  return token;
}

export function createGateway(cfg: Config, opts: GatewayOptions): Gateway {
  const log = opts.logger ?? pino({ level: cfg.logging.level, base: undefined, redact: { paths: ['authorization', 'apiKey', 'api_key', '*.authorization', '*.apiKey'], censor: '[redacted]' } });
  const db = openDatabase(opts.dataDir);
  const keys = new KeyStore(db);
  const router = new Router(cfg);
  const transport = new Transport();
  const identity = loadOrCreateIdentity(opts.dataDir);
  const ledger = new Ledger(db, identity);
  const prices = new Map<string, Price>(cfg.models.map((m) => [m.name, priceFromConfig(m.price)]));
  const free = priceFromConfig(undefined);
  const priceOf = (m: string) => prices.get(m) ?? free;
  const metering = opts.metering ?? true;
  const credentials = new CredentialStore(db, loadMasterKey(opts.dataDir));
  for (const p of router.providers.values()) p.storedKeys = () => credentials.active(p.id);
  const budgets = new BudgetStore(db);
  budgets.sweep();
  const limits = limitsStage({ keys, budgets, priceOf, defaultMaxTokens: cfg.limits.default_max_tokens });
  const alerts = new AlertSink(db, log, cfg.alerts.webhook_url ? { url: cfg.alerts.webhook_url, timeoutMs: 5_000 } : undefined);
  const anomaly = anomalyStage(alerts, { ...DEFAULT_ANOMALY, spikeFactor: cfg.alerts.spike_factor, spikeMinMicros: Math.round(cfg.alerts.spike_min * 1_000_000), inflationRatio: cfg.alerts.inflation_ratio });
  const monitor = loadMonitor(db);
  // Upstreams whose status is failed, kept current by status changes (routing reads it per request).
  const failed = new Set(monitor.statuses().filter((st) => st.status === 'failed').map((st) => st.upstreamId));
  if (cfg.integrity.quarantine) router.quarantined = (id) => failed.has(id);
  monitor.onStatusChange((id, st, previous) => {
    if (st.status === 'failed') failed.add(id);
    else failed.delete(id);
    alerts.raise({
      kind: 'upstream_integrity', severity: st.status === 'failed' ? 'critical' : 'warning', keyId: null, upstream: id,
      message: `upstream ${id} integrity status ${previous} -> ${st.status}${st.status === 'failed' && cfg.integrity.quarantine ? ' (quarantined: routing falls back)' : ''}`,
      details: { evidence: st.evidence.map((e) => ({ kind: e.kind, level: e.level, summary: e.summary })) },
    });
  });
  const probes = cfg.integrity.probes;
  const prober =
    cfg.integrity.enabled && probes.enabled
      ? new ActiveProber(router, monitor, log, {
          requestsPerDay: probes.requests_per_day,
          minIntervalMs: probes.min_interval_minutes * 60_000,
          reference: probes.reference_provider ? { providerId: probes.reference_provider, model: probes.reference_model } : undefined,
          checkEveryMs: 60_000,
        })
      : undefined;
  prober?.start();
  const checkpointTimer = setInterval(() => {
    ledger.checkpoint();
    if (cfg.integrity.enabled) saveMonitor(db, monitor);
  }, 5_000);
  checkpointTimer.unref();
  let closing: Promise<void> | undefined;
  const gw: Gateway = {
    identity,
    billing: metering ? { ledger, identity, priceOf } : undefined,
    budgets,
    cfg,
    db,
    keys,
    router,
    transport,
    pipeline: new Pipeline([
      ...(metering ? [limits, anomaly] : []),
      ...(typeof opts.stages === 'function' ? opts.stages(db) : (opts.stages ?? [])),
      ...(cfg.integrity.enabled ? [integrityStage(monitor)] : []),
    ]),
    monitor,
    quarantined: failed,
    prober,
    alerts,
    retryPolicy: { retries: cfg.routing.retries, backoffMs: cfg.routing.backoff_ms, maxBackoffMs: cfg.routing.max_backoff_ms },
    log,
    server: http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }),
    adminToken: resolveAdminToken(cfg, opts.dataDir),
    listen: (port = cfg.server.port, host = cfg.server.host) =>
      new Promise((resolve, reject) => {
        gw.server.once('error', reject);
        gw.server.listen(port, host, () => {
          gw.server.off('error', reject);
          resolve(gw.server.address() as AddressInfo);
        });
      }),
    close: () =>
      (closing ??= (async () => {
      clearInterval(checkpointTimer);
      prober?.stop();
      await new Promise<void>((resolve) => {
        gw.server.close(() => resolve());
        gw.server.closeAllConnections();
      });
      await transport.close();
      ledger.checkpoint();
      if (cfg.integrity.enabled) saveMonitor(db, monitor);
      db.close();
      })()),
  };
  gw.server.on('request', (req, res) => {
    dispatch(gw, req, res).catch((err: unknown) => {
      log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'unhandled error in request handler');
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error', type: 'server_error' } });
      else res.end();
    });
  });
  gw.server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (socket.writable) socket.end(malformedHttpAnswer(err));
  });
  return gw;
}

const CHAT_ROUTES: Record<string, ClientProtocol> = {
  '/v1/chat/completions': openaiChat,
  '/v1/responses': openaiResponses,
  '/v1/messages': anthropicMessages,
};

/**
 * The path a request is routed on, without query or trailing slashes. A plain origin-form target
 * (the only kind clients send) is cut by hand; anything unusual ('.' segments, escapes, absolute
 * form) goes through the WHATWG URL parser, which resolves it.
 */
export function routePath(target: string): string {
  let path: string;
  if (target.charCodeAt(0) === 47 && !/[%\\]|\/\./.test(target)) {
    const q = target.indexOf('?');
    path = q < 0 ? target : target.slice(0, q);
    const h = path.indexOf('#');
    if (h >= 0) path = path.slice(0, h);
  } else {
    try {
      path = new URL(target, 'http://localhost').pathname;
    } catch {
      path = '/';
    }
  }
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return end === path.length ? path : path.slice(0, end);
}

/**
 * The raw answer to a request Node's HTTP parser refused (no request object exists). The error says
 * what was wrong in general terms; the request line, when it can be read from the bytes received,
 * picks the protocol's error format (an Anthropic client gets an Anthropic error body).
 */
export function malformedHttpAnswer(err: { code?: string; rawPacket?: Buffer }): string {
  const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
  const line = err.rawPacket ? err.rawPacket.subarray(0, 200).toString('latin1') : '';
  const target = /^[A-Z]{3,7} (\/[^\s]*) HTTP\//.exec(line)?.[1];
  const protocol = target ? protocolFor(routePath(target)) : openaiChat;
  const message = tooBig ? 'request headers are too large' : err.code === 'HPE_INVALID_CONTENT_LENGTH' || err.code === 'HPE_UNEXPECTED_CONTENT_LENGTH' ? 'malformed HTTP request: invalid Content-Length' : 'malformed HTTP request';
  const { body } = protocol.error(new GatewayError('invalid_request', message));
  const text = JSON.stringify(body);
  const status = tooBig ? '431 Request Header Fields Too Large' : '400 Bad Request';
  return `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`;
}

/** Which protocol's error format a path answers in. */
function protocolFor(pathname: string): ClientProtocol {
  return pathname === '/v1/messages' || pathname.startsWith('/v1/messages/') ? anthropicMessages : openaiChat;
}

function authenticate(gw: Gateway, req: IncomingMessage): KeyRecord {
  const presented = presentedKey(req);
  if (!presented) throw new GatewayError('authentication', 'missing API key: send "Authorization: Bearer <key>" or "x-api-key: <key>" (create one with `trustrelay keys create --name NAME`)');
  const check = gw.keys.check(presented, clientIp(req));
  if (!check.ok) {
    if (check.reason === 'network') throw new GatewayError('permission', 'this API key may not be used from your network address');
    throw new GatewayError('authentication', check.reason === 'unknown' ? 'invalid API key' : `API key is ${check.reason}`);
  }
  return check.key;
}

async function dispatch(gw: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = `req_${randomUUID().replace(/-/g, '')}`;
  res.setHeader('x-request-id', requestId);
  const started = Date.now();
  const pathname = routePath(req.url ?? '/');
  const protocol = protocolFor(pathname);
  const outcome: Outcome = { status: 0, clientAborted: false, committed: false };
  let ctx: RequestContext | undefined;
  try {
    if (pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/.well-known/trustrelay.json' && req.method === 'GET')
      return sendJson(res, 200, { service: 'trustrelay', receipt_format: 'trr1', receipt_public_key: { alg: 'Ed25519', kid: gw.identity.keyId, key: gw.identity.publicKeyB64 } });
    if (pathname.startsWith('/admin/') || pathname === '/admin') {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
      if (!token || !safeEqual(token, gw.adminToken)) throw new GatewayError('authentication', 'admin routes need "Authorization: Bearer <admin token>"');
      return await handleAdmin(gw, req, res, pathname);
    }
    const chat = CHAT_ROUTES[pathname];
    const modelId = /^\/v1\/models\/(.+)$/.exec(pathname)?.[1];
    const known = chat || modelId !== undefined || ['/v1/models', '/v1/embeddings', '/v1/messages/count_tokens'].includes(pathname);
    if (!known) throw new GatewayError('not_found', `no route ${req.method} ${pathname}`);
    const key = authenticate(gw, req);
    if (pathname === '/v1/models') {
      if (req.method !== 'GET') throw new GatewayError('invalid_request', 'use GET /v1/models', { status: 405 });
      return handleModels(gw, req, res, key);
    }
    if (modelId !== undefined) {
      if (req.method !== 'GET') throw new GatewayError('invalid_request', `use GET ${pathname}`, { status: 405 });
      return handleModel(gw, req, res, key, modelId);
    }
    if (req.method !== 'POST') throw new GatewayError('invalid_request', `use POST ${pathname}`, { status: 405 });
    const { json: body, sha256: requestHash } = await readBody(req, gw.cfg.server.body_limit_bytes);
    if (pathname === '/v1/embeddings') return await handleEmbeddings(gw, res, body, key, requestId);
    if (pathname === '/v1/messages/count_tokens') return await handleCountTokens(gw, res, body, key);

    const parsed = chat.parse(body);
    const beta = req.headers['anthropic-beta'];
    if (chat === anthropicMessages && typeof beta === 'string' && /^[A-Za-z0-9_.,\s-]{1,500}$/.test(beta)) parsed.upstreamHeaders = { family: 'anthropic', headers: { 'anthropic-beta': beta } };
    if (!modelAllowed(key, parsed.model)) throw new GatewayError('permission', `this API key may not use model "${parsed.model}"`);
    const abort = new Cancel();
    res.on('close', () => {
      if (!res.writableFinished) {
        outcome.clientAborted = true;
        abort.abort();
      }
    });
    ctx = { id: requestId, protocol: chat, key, clientIp: clientIp(req), req: parsed, requestHash, startedAt: started, signal: abort.signal, responseHeaders: {}, state: new Map() };
    const conv = req.headers['x-trustrelay-conversation'];
    if (typeof conv === 'string' && conv) ctx.state.set('conversation', conv.slice(0, 200));
    await gw.pipeline.request(ctx);
    const targets = gw.router.resolve(ctx.req.model);
    if (!targets) throw new GatewayError('not_found', `model "${ctx.req.model}" is not configured on this gateway; GET /v1/models lists the models your key may use`, { param: 'model', code: 'model_not_found' });
    if (ctx.req.stream) await streamChat(gw, ctx, targets, res, outcome);
    else await completeChat(gw, ctx, targets, res, outcome);
  } catch (err) {
    if (isAbortLike(err) || (outcome.clientAborted && !res.headersSent)) {
      outcome.clientAborted = true;
      if (!res.writableEnded) res.end();
    } else {
      const gwErr = sendError(res, ctx?.protocol ?? protocol, err, requestId);
      outcome.error = gwErr;
      outcome.status = gwErr.status;
      if (gwErr.kind === 'internal') gw.log.error({ requestId, err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'internal error');
    }
  } finally {
    if (ctx) gw.pipeline.done(ctx, outcome);
    gw.log.info(
      {
        requestId,
        method: req.method,
        path: pathname,
        status: outcome.clientAborted ? 499 : outcome.status || res.statusCode,
        ms: Date.now() - started,
        model: ctx?.req.model,
        upstream: ctx?.target?.provider.id,
        stream: ctx?.req.stream,
        inputTokens: ctx?.usage?.inputTokens,
        outputTokens: ctx?.usage?.outputTokens,
        // what the DLP stage desensitized: types and counts only (the header the client gets), never a value
        dlp: ctx?.responseHeaders['x-trustrelay-dlp'],
      },
      'request',
    );
  }
}
