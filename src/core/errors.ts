/**
 * The one error type that crosses the pipeline. Each client protocol renders it in its own error
 * format; `kind` picks the protocol's error type name, `status` the HTTP status.
 */
export type ErrorKind =
  | 'invalid_request' // 400: malformed JSON, wrong types
  | 'authentication' // 401
  | 'permission' // 403
  | 'not_found' // 404: unknown route or model
  | 'too_large' // 413
  | 'rate_limit' // 429
  | 'upstream' // 502: provider failed or answered garbage
  | 'timeout' // 504
  | 'unavailable' // 503: every target is resting
  | 'internal'; // 500: a bug in TrustRelay, never bad input

const STATUS: Record<ErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  too_large: 413,
  rate_limit: 429,
  upstream: 502,
  timeout: 504,
  unavailable: 503,
  internal: 500,
};

export class GatewayError extends Error {
  override name = 'GatewayError';
  readonly status: number;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    opts: { status?: number; param?: string; code?: string; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = opts.status ?? STATUS[kind];
    this.param = opts.param;
    this.code = opts.code;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.headers = opts.headers;
  }
  readonly param?: string;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  readonly headers?: Record<string, string>;
}

export const invalid = (message: string, param?: string) => new GatewayError('invalid_request', message, { param });

/** Wraps anything thrown into a GatewayError without exposing internals to the client. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('internal', 'internal error in the gateway; the request id is in the x-request-id header');
}
