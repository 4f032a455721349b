import { computeSignature, formatTimestamp } from '@student-sync/protocol';
import { KeyedHasher, Keyring, maskBankCard, maskIdNumber } from '@student-sync/privacy';
import { freePort } from '../e2e/service-process.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildService } from '../faults/support/child-service.ts';
import { FaultStack, isReady } from '../faults/support/stack.ts';
import { sendStream, type StreamSendOptions } from '../faults/support/stream-sender.ts';
import { archiveCounts, expectStreamApplied, simulateStream } from '../faults/support/verify.ts';
import { dumpRedis, type Finding, findPlaintexts, personalNumbersOf, type Plaintexts } from './plaintext-scan.ts';

const STUDENTS = 300;
const DRAIN_TIMEOUT_MS = 120_000;
const START_TIMEOUT_MS = 60_000;
/** Students whose admin page and API record are fetched and scanned. */
const LOOKED_UP_STUDENTS = 20;

/** Numbers that appear only in the crafted pushes below, never in the simulated stream. */
const CRAFTED = {
  idNumberA: '11010519491231002X',
  idNumberB: '440106198001011238',
  cardOld: '6222021234567890123',
  cardNew: '6217000010001234567',
  cardInRejectedPush: '6228480402564890018',
};

describe('personal data after a stream through the real processes', () => {
  let stack: FaultStack;
  let admin: ChildService;
  let adminUrl: string;
  const sentBodies: Buffer[] = [];
  const responseMessages: string[] = [];

  beforeAll(async () => {
    // Debug logging, so the scan also covers what an operator sees while investigating.
    stack = await FaultStack.start({ env: { LOG_LEVEL: 'debug' } });
    const adminPort = await freePort();
    adminUrl = `http://127.0.0.1:${adminPort}`;
    admin = stack.startService('admin', 'apps/admin/src/main.ts', { ADMIN_PORT: String(adminPort), ADMIN_DEV_MODE: 'true', ADMIN_HOST: '127.0.0.1' });
    await admin.waitUntil('GET /healthz 200', () => isReady(`${adminUrl}/healthz`), START_TIMEOUT_MS);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('applies the stream, then dead-letters a push that carries personal data', { timeout: 240_000 }, async () => {
    const stream = simulateStream('privacy-scan', STUDENTS);
    sentBodies.push(...stream.bodies);
    const sent = await sendStream(stream.bodies, sendOptions());
    await expectStreamApplied(stack, stream, sent, DRAIN_TIMEOUT_MS);

    await sendAcknowledged([addPush('PRIV-A', CRAFTED.idNumberA, '20250901080000'), addPush('PRIV-B', CRAFTED.idNumberB, '20250901080001')]);
    await waitForArchive('APPLIED', stream.simulation.pushCount + 2);
    // Renumbering A to B's number is a permanent conflict, so the push goes straight to the dead letters with its error.
    await sendAcknowledged([conflictPush()]);
    await waitForArchive('DEAD', 1);
  });

  it('rejects pushes with personal data without echoing it', async () => {
    const rejected = [
      JSON.stringify({ ...JSON.parse(addPush('PRIV-C', `${CRAFTED.idNumberA}000000000000000`, '20250901080002').toString()) }),
      JSON.stringify({ xh: 'PRIV-C', bg_sj: '20250901080002', cz_lx: 'UPDATE', bg_mx_list: Array.from({ length: 101 }, () => cardDetail()) }),
      `{"xh":"PRIV-C","sfzh":"${CRAFTED.idNumberB}","bg_mx_list":[${JSON.stringify(cardDetail())}`,
    ];
    for (const body of rejected) {
      const response = await post(Buffer.from(body));
      expect(['2001', '2002']).toContain(response.resp_code);
      responseMessages.push(response.resp_msg);
    }
    const forged = await post(Buffer.from(rejected[0]!), { signKey: 'not-the-key' });
    expect(forged.resp_code).toBe('1004');
    responseMessages.push(forged.resp_msg);
  });

  it('leaves no plaintext number or key', async () => {
    const plaintexts: Plaintexts = {
      numbers: new Set([...personalNumbersOf(sentBodies), CRAFTED.cardInRejectedPush]),
      secrets: new Set([stack.target.signKey, ...secretKeysOf(stack)]),
    };
    expect(plaintexts.numbers.size).toBeGreaterThan(STUDENTS);
    // The scan itself must see what it looks for: the sent bodies contain every number.
    const inBodies = findPlaintexts('sent bodies', sentBodies.join('\n') + CRAFTED.cardInRejectedPush, plaintexts);
    expect(inBodies).toHaveLength(plaintexts.numbers.size);

    const redis = await dumpRedis(stack.redis.url);
    expect(redis.keys).toBeGreaterThan(0);
    const sources: Array<[string, string]> = [
      ['redis keys', redis.text],
      ['redis append-only files', await stack.redis.dataFilesText()],
      ['process output', stack.allLines().join('\n')],
      ['resp_msg of rejected pushes', responseMessages.join('\n')],
      ...(await adminPages()),
      ...(await databaseText()),
    ];

    const findings: Finding[] = sources.flatMap(([source, text]) => findPlaintexts(source, text, plaintexts));
    expect(findings).toEqual([]);
  });

  it('stores personal data sealed with its key id, keyed hash and masked form', async () => {
    const keyring = Keyring.parse(stack.keys.PII_ENCRYPTION_KEYS);
    const hasher = KeyedHasher.parse(stack.keys.PII_HASH_KEY);
    const students = await stack.prisma.student.findMany({ where: { OR: [{ idNumberSealed: { not: null } }, { bankCardSealed: { not: null } }] } });
    expect(students.length).toBeGreaterThan(STUDENTS / 2);

    for (const student of students) {
      for (const [sealed, hash, masked, mask] of [
        [student.idNumberSealed, student.idNumberHash, student.idNumberMasked, maskIdNumber],
        [student.bankCardSealed, student.bankCardHash, student.bankCardMasked, maskBankCard],
      ] as const) {
        if (sealed === null) continue;
        expect(Keyring.keyIdOf(sealed)).toBe(keyring.activeKeyId);
        const plain = keyring.open(sealed);
        expect(hash).toBe(hasher.hash(plain));
        expect(masked).toBe(mask(plain));
      }
    }
    const archived = await stack.prisma.pushArchive.findMany({ select: { bodySealed: true } });
    expect(archived.every((row) => Keyring.keyIdOf(row.bodySealed) === keyring.activeKeyId)).toBe(true);
  });

  function sendOptions(): StreamSendOptions {
    return { target: stack.target, concurrency: 8, maxAttempts: 20, baseBackoffMs: 100, maxBackoffMs: 1_000, timeoutMs: 10_000 };
  }

  async function sendAcknowledged(bodies: Buffer[]): Promise<void> {
    sentBodies.push(...bodies);
    const sent = await sendStream(bodies, { ...sendOptions(), concurrency: 1 });
    expect(sent.pushes.every((push) => push.acknowledged), JSON.stringify(sent.codeCounts)).toBe(true);
  }

  async function waitForArchive(status: string, count: number): Promise<void> {
    await admin.waitUntil(`${count} pushes ${status}`, async () => ((await archiveCounts(stack))[status] ?? 0) >= count, DRAIN_TIMEOUT_MS);
  }

  async function post(body: Buffer, options: { signKey?: string } = {}): Promise<{ resp_code: string; resp_msg: string }> {
    const timestamp = formatTimestamp(new Date());
    const signKey = options.signKey ?? stack.target.signKey;
    const signature = computeSignature('MD5', { body, appKey: stack.target.appKey, timestamp, signKey });
    const response = await fetch(stack.target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', 'app-key': stack.target.appKey, timestamp, 'x-sign': signature },
      body,
    });
    return (await response.json()) as { resp_code: string; resp_msg: string };
  }

  async function adminPages(): Promise<Array<[string, string]>> {
    const studentNumbers = (await stack.prisma.student.findMany({ take: LOOKED_UP_STUDENTS, select: { studentNo: true } })).map((row) => row.studentNo);
    const paths = ['/metrics', '/admin/api/dead-letters', '/admin/dead-letters', '/admin/api/batches', '/admin/students?q=PRIV-A'];
    for (const studentNo of [...studentNumbers, 'PRIV-A', 'PRIV-B']) paths.push(`/admin/api/students/${encodeURIComponent(studentNo)}`, `/admin/students/${encodeURIComponent(studentNo)}`);

    const pages: Array<[string, string]> = [];
    for (const path of paths) {
      const response = await fetch(`${adminUrl}${path}`);
      expect(response.status, path).toBeLessThan(500);
      pages.push([`admin ${path}`, await response.text()]);
    }
    const ingressMetrics = await fetch(`${stack.ingressUrl}/metrics`);
    expect(ingressMetrics.status).toBe(200);
    pages.push(['ingress /metrics', await ingressMetrics.text()]);
    return pages;
  }

  async function databaseText(): Promise<Array<[string, string]>> {
    const tables = ['students', 'student_aliases', 'student_changes', 'push_archive', 'api_clients'];
    const texts: Array<[string, string]> = [];
    for (const table of tables) {
      const rows = await stack.prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
      texts.push([`table ${table}`, rows.map((entry) => entry.row).join('\n')]);
    }
    return texts;
  }
});

function addPush(studentNo: string, idNumber: string, changeTime: string): Buffer {
  const details = [
    { bg_lx: 'KZ_YHKH', bgq_dm: '', bgq_mc: '', bgh_dm: CRAFTED.cardOld, bgh_mc: '中国工商银行' },
    { bg_lx: 'KZ_ZT', bgq_dm: '', bgq_mc: '', bgh_dm: '01', bgh_mc: '在读' },
  ];
  return Buffer.from(JSON.stringify({ xh: studentNo, ksh: '25110101150001', bg_sj: changeTime, sfzh: idNumber, xm: '隐私测试', bg_mx_list: details, bg_pch: 'PRIV-1', cz_lx: 'ADD' }));
}

function conflictPush(): Buffer {
  const details = [
    { bg_lx: 'XH', bgq_dm: 'PRIV-A', bgq_mc: '', bgh_dm: 'PRIV-B', bgh_mc: '' },
    { bg_lx: 'KZ_YHKH', bgq_dm: CRAFTED.cardOld, bgq_mc: '', bgh_dm: CRAFTED.cardNew, bgh_mc: '中国建设银行' },
  ];
  return Buffer.from(JSON.stringify({ xh: 'PRIV-A', bg_sj: '20250902080000', sfzh: CRAFTED.idNumberA, xm: '隐私测试', bg_mx_list: details, bg_pch: 'PRIV-2', cz_lx: 'UPDATE' }));
}

function cardDetail() {
  return { bg_lx: 'KZ_YHKH', bgq_dm: CRAFTED.cardOld, bgq_mc: '', bgh_dm: CRAFTED.cardInRejectedPush, bgh_mc: '' };
}

/** Returns the base64 keys of PII_ENCRYPTION_KEYS and PII_HASH_KEY. */
function secretKeysOf(stack: FaultStack): string[] {
  const encryptionKeys = stack.keys.PII_ENCRYPTION_KEYS.split(',').map((entry) => entry.slice(entry.indexOf(':') + 1));
  return [...encryptionKeys, stack.keys.PII_HASH_KEY];
}
