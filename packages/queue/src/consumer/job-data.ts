import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { DeadLetterJobData, PushJobData } from '../payload.ts';

// TypeBox checks no string formats by itself; PushJobData.receivedAt uses date-time.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)));
}

// Workers check every job. The compiled check is generated once, while Value.Check walks the
// schema on every call: about 12 µs a job in a CPU profile of `npm run bench -- --only worker`
// on a 2-core machine.
const pushJobDataCheck = TypeCompiler.Compile(PushJobData);

/** Raised when job data does not match the PushJobData schema; retrying cannot fix it. */
export class InvalidJobDataError extends Error {
  override readonly name = 'InvalidJobDataError';
}

/** Checks job data against the PushJobData schema and names the first field that breaks it. */
export function readPushJobData(data: unknown): PushJobData {
  if (pushJobDataCheck.Check(data)) return data;
  const first = pushJobDataCheck.Errors(data).First();
  const field = first?.path || '(root)';
  throw new InvalidJobDataError(`push job data is invalid at ${field}: ${first?.message ?? 'does not match the schema'}`);
}

/** Checks dead-letter job data against the DeadLetterJobData schema and names the first field that breaks it. */
export function readDeadLetterData(data: unknown): DeadLetterJobData {
  if (Value.Check(DeadLetterJobData, data)) return data;
  const first = Value.Errors(DeadLetterJobData, data).First();
  const field = first?.path || '(root)';
  throw new InvalidJobDataError(`dead-letter job data is invalid at ${field}: ${first?.message ?? 'does not match the schema'}`);
}
