import { hash } from 'node:crypto';

/**
 * HMAC-SHA256 (RFC 2104) from two one-shot hashes. `createHmac` builds a stream-capable object per
 * call, several microseconds on Node 20; the gateway derives an HMAC on every request, so the key's
 * inner and outer pads are prepared once and each MAC is two `crypto.hash` calls.
 */
export class HmacSha256 {
  readonly #ipad: Buffer;
  readonly #opad: Buffer;

  constructor(key: Buffer) {
    const k = Buffer.alloc(64);
    (key.length > 64 ? hash('sha256', key, 'buffer') : key).copy(k);
    this.#ipad = Buffer.alloc(64);
    this.#opad = Buffer.alloc(64);
    for (let i = 0; i < 64; i++) {
      this.#ipad[i] = k[i] ^ 0x36;
      this.#opad[i] = k[i] ^ 0x5c;
    }
  }

  digest(message: string | Buffer, encoding: 'hex' | 'base64url'): string {
    const inner = hash('sha256', Buffer.concat([this.#ipad, typeof message === 'string' ? Buffer.from(message, 'utf8') : message]), 'buffer');
    return hash('sha256', Buffer.concat([this.#opad, inner]), encoding);
  }
}
