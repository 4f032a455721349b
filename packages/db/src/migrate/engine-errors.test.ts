import { describe, expect, it } from 'vitest';
import { toEngineError, type ErrorRegistryLike } from './engine-errors.ts';
import { MigrationEngineError } from './errors.ts';

function registryWith(errors: Record<number, unknown>): ErrorRegistryLike {
  return { consumeError: (id) => (id in errors ? { error: errors[id] } : undefined) };
}

describe('toEngineError', () => {
  it('maps external id to driver error', () => {
    const original = new Error('connect ECONNREFUSED 127.0.0.1:5432');

    const error = toEngineError(new Error('External error id#3'), registryWith({ 3: original }));

    expect(error).toBe(original);
  });

  it('keeps Prisma error code', () => {
    const error = toEngineError({ code: 'P3009', message: 'migrate found failed migrations' }, registryWith({}));

    expect(error).toBeInstanceOf(MigrationEngineError);
    expect((error as MigrationEngineError).code).toBe('P3009');
    expect(error.message).toBe('P3009: migrate found failed migrations');
  });

  it('keeps unknown external id message', () => {
    const error = toEngineError(new Error('External error id#9'), registryWith({}));

    expect(error).toBeInstanceOf(MigrationEngineError);
    expect(error.message).toBe('External error id#9');
  });

  it('reports recorded panic message', () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
      lastMessage: undefined,
      set_message(message: string) {
        this.lastMessage = message;
      },
    };
    globalThis.PRISMA_WASM_PANIC_REGISTRY.set_message('index out of bounds');

    const error = toEngineError(new Error('unreachable'), registryWith({}));

    expect(error.message).toBe('schema engine panicked: index out of bounds');
    expect(globalThis.PRISMA_WASM_PANIC_REGISTRY.lastMessage).toBeUndefined();
  });
});
