import { createPrismaClient } from '@student-sync/db';
import { ClientStore } from '@student-sync/db/clients';
import { Keyring } from '@student-sync/privacy';
import { signedHeaders, type PushTarget } from '../../apps/cli/src/push/signed-request.ts';
import { simulate, type Simulation } from '../../apps/cli/src/simulate/simulate.ts';
import type { BenchEnvironment } from './environment.ts';

/** One request of a load run: exact body bytes and their signed headers. */
export interface SignedPush {
  body: Buffer;
  headers: Record<string, string>;
}

/** Simulated change stream with the simulator's default resend and delay ratios. */
export function simulateStream(seed: string, studentCount: number): Simulation {
  return simulate({ seed, studentCount, year: 2025, resendRatio: 0.02, delayRatio: 0.05, maxDisplacement: 200 });
}

/** Registers an API client in the benchmark database and returns its signing identity for `url`. */
export async function registerClient(environment: BenchEnvironment, url: string): Promise<PushTarget> {
  const prisma = createPrismaClient({ databaseUrl: environment.databaseUrl, poolSize: 1 });
  try {
    const store = new ClientStore({ prisma, keyring: Keyring.parse(environment.keys.PII_ENCRYPTION_KEYS) });
    const issued = await store.createClient({ appKey: 'bench-platform', name: 'benchmark sender' });
    return { url, appKey: issued.appKey, signKey: issued.signKey, scheme: issued.scheme };
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * Signs every body once, now. The ingress accepts a timestamp within 10 minutes of its
 * clock by default, so the pushes must be sent within that window.
 */
export function signAll(bodies: readonly string[], target: PushTarget): SignedPush[] {
  const now = new Date();
  return bodies.map((text) => {
    const body = Buffer.from(text, 'utf8');
    return { body, headers: signedHeaders(target, body, now) };
  });
}
