import { takePanicMessage } from './engine-wasm.ts';
import { MigrationEngineError } from './errors.ts';

/**
 * A plain JavaScript error thrown inside the driver adapter reaches the engine only as an id
 * in the registry, and comes back out as the message `External error id#<n>`.
 */
const externalErrorPattern = /External error id#(\d+)/;

function originalDriverError(message: unknown, registry: ErrorRegistryLike): Error | undefined {
  const match = typeof message === 'string' ? externalErrorPattern.exec(message) : null;
  if (!match) return undefined;
  const original = registry.consumeError(Number(match[1]))?.error;
  return original instanceof Error ? original : undefined;
}

/** The part of @prisma/driver-adapter-utils' ErrorRegistry used here. */
export interface ErrorRegistryLike {
  consumeError(id: number): { error: unknown } | undefined;
}

/** Turns what an engine call threw into the driver's original error or a MigrationEngineError. */
export function toEngineError(error: unknown, registry: ErrorRegistryLike): Error {
  const panic = takePanicMessage();
  if (panic !== undefined) return new MigrationEngineError(`schema engine panicked: ${panic}`, undefined, error);

  const record = error as { code?: unknown; message?: unknown };
  const original = originalDriverError(record.message, registry);
  if (original !== undefined) return original;

  const code = typeof record.code === 'string' ? record.code : undefined;
  const message = typeof record.message === 'string' ? record.message : String(error);
  return new MigrationEngineError(message, code, error);
}
