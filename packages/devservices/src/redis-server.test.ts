import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, missingRedisBinaryMessage } from './redis-server.ts';

describe('findOnPath', () => {
  it('finds an executable and skips folders without it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'find-on-path-'));
    const binary = path.join(dir, 'fake-server');
    writeFileSync(binary, '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    expect(findOnPath('fake-server', ['/nonexistent', dir].join(path.delimiter))).toBe(binary);
  });

  it('returns undefined when no folder has it', () => {
    expect(findOnPath('redis-server', '/nonexistent')).toBeUndefined();
  });
});

describe('missingRedisBinaryMessage', () => {
  it('names every way to get Redis', () => {
    const message = missingRedisBinaryMessage('redis://127.0.0.1:6379');
    expect(message).toContain('apt-get install redis-server');
    expect(message).toContain('brew install redis');
    expect(message).toContain('docker compose up -d redis');
  });
});
