import { createIngressMetrics, createMetricsRegistry, parsePrometheusText, sampleValue } from '@student-sync/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushBody, respCodeOf, signedRequest, startTestIngress, type TestIngress } from './testing/harness.ts';

let ingress: TestIngress;

beforeAll(async () => {
  const registry = createMetricsRegistry('ingress');
  ingress = await startTestIngress({ metrics: { registry, ingress: createIngressMetrics(registry) } });
});

afterAll(async () => {
  await ingress?.close();
});

async function samples() {
  const response = await ingress.app.inject({ method: 'GET', url: '/metrics' });
  expect(response.headers['content-type']).toContain('text/plain');
  return parsePrometheusText(response.body);
}

describe('ingress metrics', () => {
  it('count pushes by resp_code and time enqueueing', async () => {
    const body = JSON.stringify(pushBody({ xh: 'metrics-1' }));
    expect(respCodeOf(await ingress.app.inject(signedRequest(body)))).toBe('0000');
    expect(respCodeOf(await ingress.app.inject(signedRequest(body, { signKey: 'wrong-key' })))).toBe('1004');

    const after = await samples();
    expect(sampleValue(after, 'student_sync_ingress_requests_total', { status_code: '200', resp_code: '0000' })).toBe(1);
    expect(sampleValue(after, 'student_sync_ingress_requests_total', { status_code: '401', resp_code: '1004' })).toBe(1);
    expect(sampleValue(after, 'student_sync_ingress_enqueue_duration_seconds_count', { result: 'ok' })).toBe(1);
    expect(sampleValue(after, 'nodejs_heap_size_used_bytes', { process: 'ingress' })).toBeGreaterThan(0);
  });

  it('contain no request data', async () => {
    const text = (await ingress.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toMatch(/metrics-1|110105200601011234|efutong/);
  });
});
