import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const ROUNDS = 50_000;
const EXAMPLE_BODY = new URL('../../examples/platform-example.json', import.meta.url);

/**
 * Measures the CPU milliseconds this process spends parsing the example push body and hashing
 * it with SHA-256, 50,000 times. Machines with the same CPU model name have differed several
 * times in speed, so this figure shows whether two runs are comparable.
 */
export function measureReferenceWork(): number {
  const body = readFileSync(EXAMPLE_BODY, 'utf8');
  const start = process.cpuUsage();
  let fieldCount = 0;
  for (let round = 0; round < ROUNDS; round++) {
    fieldCount += Object.keys(JSON.parse(body) as object).length;
    createHash('sha256').update(body).digest();
  }
  const used = process.cpuUsage(start);
  if (fieldCount === 0) throw new Error(`${EXAMPLE_BODY.pathname} is an empty JSON object, expected the push fields`);
  return (used.user + used.system) / 1_000;
}
