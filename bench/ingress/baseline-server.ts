// A reference server for the ingress benchmark, run as its own process. BASELINE_MODE picks
// how much of the ingress's work it does per request:
//   bare     Fastify JSON route that parses the body and returns the 0000 envelope
//   sign     + raw body, signing headers and the MD5 x-sign check (the body is still parsed)
//   enqueue  + one awaited BullMQ queue.add per request, keyed by the body's SHA-256
import { buildEnvelope, readSignedHeaders, requireValidSignature, type VerificationClient } from '@student-sync/protocol';
import { Queue } from 'bullmq';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';

type Mode = 'bare' | 'sign' | 'enqueue';

const mode = process.env.BASELINE_MODE as Mode;
const port = Number(process.env.BASELINE_PORT);
const path = process.env.BASELINE_PATH ?? '/api/v1/student-changes';
const client: VerificationClient = {
  appKey: process.env.BASELINE_APP_KEY ?? '',
  scheme: 'MD5',
  enabled: true,
  signKeys: [process.env.BASELINE_SIGN_KEY ?? ''],
};
if (!['bare', 'sign', 'enqueue'].includes(mode) || !Number.isInteger(port)) {
  process.stderr.write('BASELINE_MODE must be bare, sign or enqueue, and BASELINE_PORT a port number\n');
  process.exit(1);
}

const redis = mode === 'enqueue' ? new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
const queue = redis ? new Queue('bench-baseline', { connection: redis, prefix: process.env.QUEUE_PREFIX ?? '' }) : undefined;
queue?.on('error', (err) => process.stderr.write(`baseline queue error: ${err.message}\n`));

const app = Fastify({ logger: false });
const envelope = JSON.stringify(buildEnvelope('0000'));

if (mode === 'bare') {
  app.post(path, async (_request, reply) => reply.type('application/json').send(envelope));
} else {
  app.removeAllContentTypeParsers();
  // The body stays raw for the digest and is still parsed, so each mode does all the work of the one before.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      JSON.parse(body.toString('utf8'));
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    done(null, body);
  });
  app.post(path, verifyAndEnqueue);
}

async function verifyAndEnqueue(request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as Buffer;
  try {
    requireValidSignature(client, readSignedHeaders(request.headers), body);
  } catch {
    return reply.code(401).type('application/json').send(JSON.stringify(buildEnvelope('1004')));
  }
  if (queue) {
    const jobId = createHash('sha256').update(body).digest('hex');
    await queue.add('push', { body: body.toString('utf8') }, { jobId, removeOnComplete: true });
  }
  return reply.type('application/json').send(envelope);
}

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await queue?.close();
    redis?.disconnect();
    process.exit(0);
  })();
});

await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`baseline ${mode} listening on ${port}\n`);
