import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { errorForLog, loggerOptions, maskAddress, pathOnly } from './logPrivacy.js';

describe('personal data in the server logs', () => {
  it('cuts query strings and the last part of client addresses', () => {
    assert.equal(pathOnly('/dang-ky?tim=0912345678'), '/dang-ky');
    assert.equal(pathOnly('/ho-so'), '/ho-so');
    assert.equal(maskAddress('203.0.113.57'), '203.0.113.0');
    assert.equal(maskAddress('::ffff:203.0.113.57'), '::ffff:203.0.113.0');
    assert.equal(maskAddress('2001:db8:85a3:8d3:1319:8a2e:370:7348'), '2001:db8:85a3::');
  });

  it('logs no value of a refused database row', () => {
    const error = Object.assign(
      new Error('duplicate key value violates unique constraint "accounts_phone"'),
      {
        code: '23505',
        detail: 'Key (tenant_id, phone)=(t1, +84912345678) already exists.',
      },
    );
    const logged = JSON.stringify(errorForLog(error));
    assert.match(logged, /accounts_phone/);
    assert.match(logged, /23505/);
    assert.doesNotMatch(logged, /912345678/);
  });

  it('writes request lines without what people typed or their cookies', async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: { ...loggerOptions('info'), stream: { write: (line: string) => lines.push(line) } },
    });
    app.get('/dang-ky', async () => 'ok');
    await app.inject({
      method: 'GET',
      url: '/dang-ky?tim=0912345678&email=lan%40example.vn',
      headers: { cookie: 'hv_session=bi-mat' },
    });
    await app.close();
    const log = lines.join('');
    assert.match(log, /"url":"\/dang-ky"/);
    for (const secret of ['0912345678', 'example.vn', 'bi-mat']) assert.ok(!log.includes(secret), secret);
  });
});
