import { describe, expect, it } from 'vitest';
import { databaseNameOf, isLoopbackHost, portOf, redactUrl, withDatabase } from './url.ts';

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['db.example.com', '10.0.0.5', '0.0.0.0', '128.0.0.1', '127.0.0'])('rejects %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('URL helpers', () => {
  it('redactUrl hides the password only', () => {
    expect(redactUrl('postgresql://app:s3cret@127.0.0.1:5432/db')).toBe('postgresql://app:***@127.0.0.1:5432/db');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('withDatabase swaps the database and keeps the rest', () => {
    expect(withDatabase('postgresql://postgres@127.0.0.1:5433/app?sslmode=disable', 'postgres')).toBe(
      'postgresql://postgres@127.0.0.1:5433/postgres?sslmode=disable',
    );
  });

  it('portOf falls back to the default port', () => {
    expect(portOf(new URL('redis://127.0.0.1'), 6379)).toBe(6379);
    expect(portOf(new URL('redis://127.0.0.1:7000'), 6379)).toBe(7000);
  });

  it('databaseNameOf reads the path', () => {
    expect(databaseNameOf(new URL('postgresql://h/student_sync'))).toBe('student_sync');
    expect(databaseNameOf(new URL('postgresql://h'))).toBeUndefined();
  });
});
