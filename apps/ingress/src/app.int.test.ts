import { formatTimestamp } from '@student-sync/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISABLED_CLIENT,
  MD5_CLIENT,
  pushBody,
  respCodeOf,
  responseSignedBy,
  signedRequest,
  SM3_CLIENT,
  startTestIngress,
  type TestIngress,
} from './testing/harness.ts';

describe('ingress push endpoint', () => {
  let ingress: TestIngress;

  beforeAll(async () => {
    ingress = await startTestIngress();
  });

  afterAll(async () => {
    await ingress.close();
  });

  const send = (...args: Parameters<typeof signedRequest>) => ingress.app.inject(signedRequest(...args));

  describe('accepted pushes (0000)', () => {
    it('accepts a compact body and answers with a signed envelope', async () => {
      const response = await send(JSON.stringify(pushBody({ xh: 'accept-1' })));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ resp_code: '0000', resp_msg: 'success', resp_data: {} });
      expect(response.headers['app-key']).toBe(MD5_CLIENT.appKey);
      expect(response.headers.timestamp).toMatch(/^\d{14}$/);
      expect(responseSignedBy(response, 'MD5', MD5_CLIENT.signKeys[0]!)).toBe(true);
    });

    it('accepts pretty-printed, compact and key-reordered bodies, each signed over its own bytes', async () => {
      const body = pushBody({ xh: 'layout-1' });
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const variants = [JSON.stringify(body, null, 2), JSON.stringify(body), JSON.stringify(reordered), JSON.stringify(body, null, '\t') + '\n'];
      for (const variant of variants) {
        const response = await send(variant);
        expect(respCodeOf(response), variant.slice(0, 40)).toBe('0000');
      }
    });

    it('accepts Chinese as \\u escapes and as raw UTF-8', async () => {
      const raw = JSON.stringify(pushBody({ xh: 'zh-1', xm: '李四' }));
      const escaped = raw.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      expect(escaped).toContain('\\u674e\\u56db');
      expect(respCodeOf(await send(raw))).toBe('0000');
      expect(respCodeOf(await send(escaped))).toBe('0000');
    });

    it.each(['application/json;charset=UTF-8', 'application/json; charset=utf-8', 'APPLICATION/JSON;CHARSET=UTF-8', 'application/json', 'Application/Json ; Charset="UTF8"'])(
      'accepts Content-Type %s',
      async (contentType) => {
        const response = await send(JSON.stringify(pushBody({ xh: `ct-${contentType}` })), { contentType });
        expect(respCodeOf(response)).toBe('0000');
      },
    );

    it('verifies an HMAC-SM3 client and signs the response with SM3', async () => {
      const response = await send(JSON.stringify(pushBody({ xh: 'sm3-1' })), { client: SM3_CLIENT });
      expect(respCodeOf(response)).toBe('0000');
      expect(responseSignedBy(response, 'HMAC_SM3', SM3_CLIENT.signKeys[0]!)).toBe(true);
    });

    it('accepts a body one byte under the limit', async () => {
      const body = paddedBody(4_096 - 1);
      expect(Buffer.byteLength(body)).toBe(4_095);
      expect(respCodeOf(await send(body))).toBe('0000');
    });
  });

  describe('header and client checks', () => {
    it('rejects a missing header with 1001, unsigned', async () => {
      const response = await send(JSON.stringify(pushBody()), { headers: { 'x-sign': undefined } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ resp_code: '1001', resp_msg: '请求头缺失或格式错误: 缺少请求头 x-sign' });
      expect(response.headers['x-sign']).toBeUndefined();
    });

    it.each([
      ['timestamp', '2024-09-01 08:30:00'],
      ['timestamp', '20241301083000'],
      ['x-sign', 'not-hex'],
      ['app-key', 'has space'],
    ])('rejects a malformed %s with 1001', async (header, value) => {
      const response = await send(JSON.stringify(pushBody()), { headers: { [header]: value } });
      expect(respCodeOf(response)).toBe('1001');
      expect(response.json().resp_msg).toContain(header);
    });

    it('rejects an unknown app-key with 1002', async () => {
      const unknown = { ...MD5_CLIENT, appKey: 'nobody' };
      const response = await send(JSON.stringify(pushBody()), { client: unknown });
      expect(response.statusCode).toBe(401);
      expect(respCodeOf(response)).toBe('1002');
    });

    it('rejects a disabled app-key with 1002', async () => {
      const response = await send(JSON.stringify(pushBody()), { client: DISABLED_CLIENT });
      expect(respCodeOf(response)).toBe('1002');
      expect(response.json().resp_msg).toContain('已停用');
    });

    it('rejects a timestamp 11 minutes old with 1003, signed', async () => {
      const stale = formatTimestamp(new Date(Date.now() - 11 * 60_000));
      const response = await send(JSON.stringify(pushBody()), { timestamp: stale });
      expect(response.statusCode).toBe(401);
      expect(respCodeOf(response)).toBe('1003');
      expect(responseSignedBy(response, 'MD5', MD5_CLIENT.signKeys[0]!)).toBe(true);
    });

    it('rejects a signature made with another key with 1004', async () => {
      const response = await send(JSON.stringify(pushBody()), { signKey: 'guessed-key' });
      expect(response.statusCode).toBe(401);
      expect(respCodeOf(response)).toBe('1004');
    });

    it('rejects a body changed after signing with 1004', async () => {
      const request = signedRequest(JSON.stringify(pushBody()));
      request.payload = Buffer.from(JSON.stringify(pushBody({ xh: 'tampered' })));
      expect(respCodeOf(await ingress.app.inject(request))).toBe('1004');
    });
  });

  describe('body checks', () => {
    it('rejects broken JSON with 2001', async () => {
      const response = await send('{"xh": "1",');
      expect(response.statusCode).toBe(400);
      expect(respCodeOf(response)).toBe('2001');
    });

    it('rejects text/plain with 2001 and HTTP 415', async () => {
      const response = await send(JSON.stringify(pushBody()), { contentType: 'text/plain' });
      expect(response.statusCode).toBe(415);
      expect(respCodeOf(response)).toBe('2001');
    });

    it('rejects a GBK charset with 2001 and HTTP 415', async () => {
      const response = await send(JSON.stringify(pushBody()), { contentType: 'application/json; charset=GBK' });
      expect(response.statusCode).toBe(415);
      expect(respCodeOf(response)).toBe('2001');
    });

    it('rejects an invalid field with 2002 naming it', async () => {
      const response = await send(JSON.stringify(pushBody({ cz_lx: 'DELETE' })));
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ resp_code: '2002', resp_msg: '请求体校验失败: cz_lx 必须是 ADD 或 UPDATE' });
    });

    it('rejects one byte over the limit', async () => {
      const response = await send(paddedBody(4_096 + 1));
      expect(response.statusCode).toBe(413);
      expect(respCodeOf(response)).toBe('2003');
      expect(response.json().resp_msg).toBe('请求体超过大小上限: 上限 4096 字节');
      expect(responseSignedBy(response, 'MD5', MD5_CLIENT.signKeys[0]!)).toBe(true);
    });
  });

  describe('wrong method or path', () => {
    it.each(['GET', 'PUT', 'DELETE'] as const)('%s on the push path gets 405', async (method) => {
      const response = await ingress.app.inject({ method, url: '/api/v1/student-changes?x=1' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST');
      expect(response.json().message).toContain('推送接口只接受 POST 请求');
    });

    it('an unknown path gets 404 naming the push path', async () => {
      const response = await send(JSON.stringify(pushBody()), { path: '/api/v1/student-change' });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toContain('推送接口是 POST /api/v1/student-changes');
    });
  });

  describe('health', () => {
    it('answers /healthz and /readyz', async () => {
      expect((await ingress.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const ready = await ingress.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ok' });
    });
  });
});

/** Builds a valid push whose JSON text is exactly `bytes` long, padded with an unknown field. */
function paddedBody(bytes: number): string {
  const base = JSON.stringify({ ...pushBody({ xh: `pad-${bytes}` }), padding: '' });
  return base.replace('"padding":""', `"padding":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`);
}
