import { Redis } from 'ioredis';

/** Personal data and secrets of one test run, to be searched for in everything the run left behind. */
export interface Plaintexts {
  /** National ID numbers and bank card numbers as sent. */
  numbers: Set<string>;
  /** Sign keys and personal-data keys. */
  secrets: Set<string>;
}

/** A plaintext found in a source; the number is masked, so a failure message leaks no more than the masked form. */
export interface Finding {
  source: string;
  masked: string;
}

const DIGIT_RUN = /\d{15,}[Xx]?/g;

/** Collects the `sfzh` and bank card numbers (KZ_YHKH details) of push bodies. */
export function personalNumbersOf(bodies: Iterable<Buffer | string>): Set<string> {
  const numbers = new Set<string>();
  for (const body of bodies) {
    const push = JSON.parse(body.toString()) as { sfzh?: string | null; bg_mx_list?: Array<{ bg_lx?: string; bgq_dm?: string | null; bgh_dm?: string | null }> };
    if (push.sfzh) numbers.add(push.sfzh);
    for (const detail of push.bg_mx_list ?? []) {
      if (detail.bg_lx !== 'KZ_YHKH') continue;
      if (detail.bgq_dm) numbers.add(detail.bgq_dm);
      if (detail.bgh_dm) numbers.add(detail.bgh_dm);
    }
  }
  return numbers;
}

/**
 * Returns every plaintext of `plaintexts` that occurs in `text`. Numbers are found through
 * the digit runs of the text, so the cost grows with the text, not with the number count.
 */
export function findPlaintexts(source: string, text: string, plaintexts: Plaintexts): Finding[] {
  const found = new Set<string>();
  const lengths = new Set([...plaintexts.numbers].map((number) => number.length));
  for (const [run] of text.matchAll(DIGIT_RUN)) {
    for (const length of lengths) {
      for (let start = 0; start + length <= run.length; start += 1) {
        const candidate = run.slice(start, start + length);
        if (plaintexts.numbers.has(candidate) || plaintexts.numbers.has(candidate.toUpperCase())) found.add(candidate);
      }
    }
  }
  for (const secret of plaintexts.secrets) if (text.includes(secret)) found.add(secret);
  return [...found].map((value) => ({ source, masked: `${value.slice(0, 4)}***${value.slice(-2)} (${value.length} chars)` }));
}

/** Reads every key of a Redis server whatever its type, as text: job hashes, event streams, lists, sets. */
export async function dumpRedis(url: string): Promise<{ keys: number; text: string }> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const parts: string[] = [];
  let keys = 0;
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
      for (const key of batch) {
        keys += 1;
        parts.push(key, await readKey(redis, key));
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { keys, text: parts.join('\n') };
}

async function readKey(redis: Redis, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string':
      return (await redis.getBuffer(key))?.toString('latin1') ?? '';
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return '';
  }
}
