import type { ClientDirectory } from '@student-sync/protocol';
import { pushJobId, type PushJobData } from '@student-sync/queue';
import { describe, expect, it } from 'vitest';
import { startThrowawayRedis } from '../../../packages/queue/src/test-redis-server.ts';
import { MD5_CLIENT, pushBody, respCodeOf, signedRequest, startTestIngress } from './testing/harness.ts';

describe('ingress and the queue', () => {
  it('stores the job before answering 0000, with ID and bank card numbers sealed', async () => {
    const ingress = await startTestIngress();
    try {
      const body = JSON.stringify(pushBody({ xh: 'sealed-1' }));
      expect(respCodeOf(await ingress.app.inject(signedRequest(body)))).toBe('0000');

      const [job] = await ingress.queue.getWaiting();
      const data = job!.data as PushJobData;
      expect(data).toMatchObject({ appKey: 'efutong', studentNo: 'sealed-1', changeTime: '20240901083000', operation: 'UPDATE', batchNo: 'P20240901-01' });
      expect(ingress.keyring.open(data.bodySealed)).toBe(body);

      const stored = JSON.stringify(await ingress.redis.hgetall(`${ingress.prefix}:student-changes:${job!.id}`));
      expect(stored).toContain('bodySealed');
      expect(stored).not.toContain('110105200601011234');
      expect(stored).not.toContain('6222020200112233445');
      expect(stored).not.toContain('6222020200998877665');
    } finally {
      await ingress.close();
    }
  });

  it('answers an identical resend with 0000 and adds nothing', async () => {
    const ingress = await startTestIngress();
    try {
      const body = JSON.stringify(pushBody({ xh: 'resend-1' }));
      const first = await ingress.app.inject(signedRequest(body));
      const resent = await ingress.app.inject(signedRequest(body));
      expect(respCodeOf(first)).toBe('0000');
      expect(respCodeOf(resent)).toBe('0000');
      expect(await ingress.queue.count()).toBe(1);
      const [job] = await ingress.queue.getWaiting();
      expect(job!.id).toBe(pushJobId(job!.data.idempotencyKey));
    } finally {
      await ingress.close();
    }
  });

  it('keeps two different pushes for one student apart', async () => {
    const ingress = await startTestIngress();
    try {
      await ingress.app.inject(signedRequest(JSON.stringify(pushBody({ xh: 'same-1', bg_sj: '20240901083000' }))));
      await ingress.app.inject(signedRequest(JSON.stringify(pushBody({ xh: 'same-1', bg_sj: '20240901083001' }))));
      expect(await ingress.queue.count()).toBe(2);
    } finally {
      await ingress.close();
    }
  });

  it('answers 3001 when the backlog is above the limit', async () => {
    const ingress = await startTestIngress({ settings: { backlogLimit: 1 } });
    try {
      const codes: string[] = [];
      for (const xh of ['b1', 'b2', 'b3']) codes.push(respCodeOf(await ingress.app.inject(signedRequest(JSON.stringify(pushBody({ xh }))))));
      expect(codes).toEqual(['0000', '0000', '3001']);
      expect(await ingress.queue.count()).toBe(2);
    } finally {
      await ingress.close();
    }
  });

  it('answers 3003 with HTTP 429 once an app-key passes its rate limit', async () => {
    const ingress = await startTestIngress({ settings: { rateLimitPerMinute: 2 } });
    try {
      const responses = [];
      for (const xh of ['r1', 'r2', 'r3']) responses.push(await ingress.app.inject(signedRequest(JSON.stringify(pushBody({ xh })))));
      expect(responses.map(respCodeOf)).toEqual(['0000', '0000', '3003']);
      expect(responses[2]!.statusCode).toBe(429);
      expect(responses[2]!.headers['retry-after']).toBeDefined();
    } finally {
      await ingress.close();
    }
  });

  it('answers 9999 with HTTP 500 when the client look-up fails', async () => {
    const failing: ClientDirectory = {
      findClientForVerification: async () => {
        throw new Error('database is down');
      },
    };
    const ingress = await startTestIngress({ clients: failing });
    try {
      const response = await ingress.app.inject(signedRequest(JSON.stringify(pushBody())));
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ resp_code: '9999', resp_msg: '系统内部错误', resp_data: {} });
    } finally {
      await ingress.close();
    }
  });
});

describe('ingress when Redis stops', () => {
  it('answers 3002 within the timeout and reports not ready', async () => {
    const server = await startThrowawayRedis();
    const ingress = await startTestIngress({ redisUrl: server.url, settings: { redisTimeoutMs: 500, rateLimitPerMinute: 100 } });
    try {
      expect(respCodeOf(await ingress.app.inject(signedRequest(JSON.stringify(pushBody({ xh: 'before-stop' })))))).toBe('0000');

      await server.kill();
      const response = await ingress.app.inject(signedRequest(JSON.stringify(pushBody({ xh: 'after-stop' }))));
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ resp_code: '3002' });
      expect(response.headers['app-key']).toBe(MD5_CLIENT.appKey);

      expect((await ingress.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    } finally {
      await ingress.close();
      await server.kill();
    }
  });
});
