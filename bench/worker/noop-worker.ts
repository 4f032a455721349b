// A BullMQ worker that completes every push job without doing anything, run as its own
// process: the ceiling that BullMQ and Redis alone allow on this machine.
import { PUSH_QUEUE } from '@student-sync/queue';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const concurrency = Number(process.env.NOOP_CONCURRENCY ?? '500');
const connection = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
const worker = new Worker(PUSH_QUEUE, async () => ({ status: 'noop' }), {
  connection,
  prefix: process.env.QUEUE_PREFIX ?? '',
  concurrency,
  removeOnComplete: { count: 1_000_000 },
});
worker.on('error', (err) => process.stderr.write(`noop worker error: ${err.message}\n`));

process.once('SIGTERM', () => {
  void (async () => {
    await worker.close();
    connection.disconnect();
    process.exit(0);
  })();
});

await worker.waitUntilReady();
process.stdout.write(`noop worker started, concurrency ${concurrency}\n`);
