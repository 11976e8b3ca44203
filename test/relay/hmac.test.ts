import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256 } from '../../src/util/hmac.js';

test('HmacSha256 equals createHmac for short, block-sized and long keys and any message', () => {
  for (const keyLen of [16, 32, 63, 64, 65, 200]) {
    const key = randomBytes(keyLen);
    const mac = new HmacSha256(key);
    for (const msg of ['', 'a', 'key_1\u0000first user text', '中文 😀'.repeat(50), randomBytes(300).toString('latin1')]) {
      assert.equal(mac.digest(msg, 'hex'), createHmac('sha256', key).update(msg).digest('hex'), `key ${keyLen}, message ${msg.length}`);
      assert.equal(mac.digest(msg, 'base64url'), createHmac('sha256', key).update(msg).digest('base64url'));
    }
  }
});
