import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routePath } from '../../src/server/gateway.js';

test('routePath: query, fragment and trailing slashes are cut; unusual targets are resolved by the URL parser', () => {
  assert.equal(routePath('/v1/chat/completions'), '/v1/chat/completions');
  assert.equal(routePath('/v1/chat/completions?x=1'), '/v1/chat/completions');
  assert.equal(routePath('/v1/models/'), '/v1/models');
  assert.equal(routePath('/v1/models///?a=/b'), '/v1/models');
  assert.equal(routePath('/'), '/');
  assert.equal(routePath('/v1/x/../models'), '/v1/models');
  assert.equal(routePath('/v1/./models'), '/v1/models');
  assert.equal(routePath('http://gateway.invalid/v1/messages?beta=true'), '/v1/messages');
  assert.equal(routePath('/v1/%6dodels'), '/v1/%6dodels', 'escapes are not decoded into another route');
  assert.equal(routePath('*'), '/*');
});
