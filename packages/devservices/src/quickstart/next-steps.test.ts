import { describe, expect, it } from 'vitest';
import { nextStepsText } from './next-steps.ts';

describe('nextStepsText', () => {
  const text = nextStepsText({ ingressUrl: 'http://127.0.0.1:8080/api/v1/student-changes', adminUrl: 'http://127.0.0.1:8081/admin', clientFile: '.data/demo-client.json', started: ['ingress', 'worker', 'admin'], missing: [] });

  it('shows a simulation that can be verified', () => {
    expect(text).toContain('npx student-sync simulate --students 500 --send --expect .data/expected.json --client-file .data/demo-client.json');
    expect(text).toContain('npx student-sync verify --expect .data/expected.json --allow-extra');
  });

  it('names the admin login', () => {
    expect(text).toContain('ADMIN_USERNAME / ADMIN_PASSWORD');
  });
});
