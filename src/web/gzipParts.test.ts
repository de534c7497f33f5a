import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { gzipParts, precompress } from './gzipParts.js';

describe('gzip made of precompressed parts', () => {
  it('decodes to exactly the page, whatever mix of fresh and precompressed parts', () => {
    const body = precompress('<p>Bà Lan nhận được cuộc gọi xưng là công an huyện Đại Lộc…</p>'.repeat(300));
    const head = Buffer.from('<!doctype html><html lang="vi"><body><main>');
    const tail = Buffer.from('<form><input name="_csrf" value="x1"></form></main></body></html>');
    const page = Buffer.concat([head, body.raw, tail]);
    assert.deepEqual(gunzipSync(gzipParts([head, body, tail])), page);
    assert.deepEqual(gunzipSync(gzipParts([body, tail, body])), Buffer.concat([body.raw, tail, body.raw]));
    assert.deepEqual(gunzipSync(gzipParts([Buffer.alloc(0)])), Buffer.alloc(0));
  });

  it('is smaller than the page it encodes', () => {
    const body = precompress('Kiểm tra đường dẫn trước khi bấm. '.repeat(400));
    const packed = gzipParts([Buffer.from('<main>'), body, Buffer.from('</main>')]);
    assert.ok(packed.length < body.raw.length / 5);
  });
});
