/** Cause of a failed connection or query, as Prisma's PostgreSQL driver adapter reports it. */
export interface DriverAdapterCause {
  kind?: string;
  host?: string;
  port?: number;
  db?: string;
}

/** Returns the driver adapter's cause of a Prisma error, or undefined for any other error. */
export function driverAdapterCause(error: unknown): DriverAdapterCause | undefined {
  if (!(error instanceof Error) || !error.name.startsWith('PrismaClient')) return undefined;
  return (error as Error & { meta?: { driverAdapterError?: { cause?: DriverAdapterCause } } }).meta?.driverAdapterError?.cause;
}
