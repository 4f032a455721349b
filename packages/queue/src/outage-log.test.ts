import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisOutageLog } from './outage-log.ts';

function setup() {
  const redis = new EventEmitter();
  const lines: Array<{ level: 'error' | 'info'; fields: Record<string, unknown>; message: string }> = [];
  const log = {
    error: (fields: object, message: string) => lines.push({ level: 'error', fields: fields as Record<string, unknown>, message }),
    info: (fields: object, message: string) => lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
  };
  return { redis, lines, outage: new RedisOutageLog(redis as unknown as Redis, log) };
}

const connectionRefused = () => new Error('connect ECONNREFUSED 127.0.0.1:6390');

describe('RedisOutageLog', () => {
  it('logs each source once per outage', () => {
    const { redis, lines, outage } = setup();
    const queue = outage.listener('push queue');
    const connection = outage.listener('redis connection');
    for (let attempt = 0; attempt < 5; attempt++) queue(connectionRefused());
    for (let attempt = 0; attempt < 3; attempt++) connection(connectionRefused());

    expect(lines.map((line) => line.message)).toEqual([
      'push queue lost Redis, repeats are counted until it is ready again',
      'redis connection lost Redis, repeats are counted until it is ready again',
    ]);
    redis.emit('ready');
    expect(lines[2]).toEqual({ level: 'info', fields: { repeats: { 'push queue': 4, 'redis connection': 2 } }, message: 'redis connection ready again' });
  });

  it('logs again after a recovery', () => {
    const { redis, lines, outage } = setup();
    const queue = outage.listener('push queue');
    queue(connectionRefused());
    redis.emit('ready');
    queue(connectionRefused());
    expect(lines.map((line) => line.level)).toEqual(['error', 'info', 'error']);
  });

  it('always logs other errors', () => {
    const { lines, outage } = setup();
    const worker = outage.listener('push worker');
    worker(new Error('Missing lock for job 7'));
    worker(new Error('Missing lock for job 8'));
    expect(lines.map((line) => line.message)).toEqual(['push worker error', 'push worker error']);
  });

  it('stays quiet on a ready without an outage', () => {
    const { redis, lines } = setup();
    redis.emit('ready');
    expect(lines).toEqual([]);
  });
});
