import { computeSignature, formatTimestamp, PUSH_LIMITS, type ResponseCode } from '@student-sync/protocol';
import type { InjectOptions } from 'fastify';
import { DISABLED_CLIENT, MD5_CLIENT, pushBody, signedRequest } from '../../apps/ingress/src/testing/harness.ts';

/** The production default of BODY_LIMIT_BYTES, so the corpus meets the limit operators run with. */
export const BODY_LIMIT_BYTES = 262_144;

/** One malformed request and the response code the contract gives it. */
export interface BadInputCase {
  name: string;
  request: () => InjectOptions;
  code: Exclude<ResponseCode, '0000'>;
  /** HTTP status when it differs from the code's default (2001 for a media type is 415). */
  httpStatus?: number;
}

const HOUR_MS = 3_600_000;

const validBody = () => JSON.stringify(pushBody({ xh: 'bad-input-1' }));
const withBody = (overrides: Record<string, unknown>) => signedRequest(JSON.stringify(pushBody(overrides)));
const withHeaders = (headers: Record<string, string | undefined>) => signedRequest(validBody(), { headers });
const withTimestamp = (timestamp: string) => signedRequest(validBody(), { timestamp });

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function rawSigned(bytes: Buffer, contentType = 'application/json;charset=UTF-8'): InjectOptions {
  return signedRequest(bytes, { contentType });
}

function detailList(count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => ({ bg_lx: 'KZ_BJ_ID', bgq_dm: `C${index}`, bgq_mc: '旧班', bgh_dm: `D${index}`, bgh_mc: '新班' }));
}

const headerCases: BadInputCase[] = [
  { name: 'app-key missing', request: () => withHeaders({ 'app-key': undefined }), code: '1001' },
  { name: 'timestamp missing', request: () => withHeaders({ timestamp: undefined }), code: '1001' },
  { name: 'x-sign missing', request: () => withHeaders({ 'x-sign': undefined }), code: '1001' },
  { name: 'all signing headers missing', request: () => withHeaders({ 'app-key': undefined, timestamp: undefined, 'x-sign': undefined }), code: '1001' },
  { name: 'app-key blank', request: () => withHeaders({ 'app-key': '   ' }), code: '1001' },
  { name: 'app-key with a space inside', request: () => withHeaders({ 'app-key': 'ef utong' }), code: '1001' },
  { name: 'app-key of 65 characters', request: () => withHeaders({ 'app-key': 'a'.repeat(65) }), code: '1001' },
  { name: 'app-key of 10 KB', request: () => withHeaders({ 'app-key': 'a'.repeat(10_240) }), code: '1001' },
  { name: 'app-key in Chinese, percent-encoded', request: () => withHeaders({ 'app-key': encodeURIComponent('平台') }), code: '1001' },
  { name: 'app-key unknown', request: () => withHeaders({ 'app-key': 'nobody' }), code: '1002' },
  { name: 'app-key of a disabled client', request: () => signedRequest(validBody(), { client: DISABLED_CLIENT }), code: '1002' },
  { name: 'timestamp in Unix seconds', request: () => withTimestamp(String(Math.floor(Date.now() / 1000))), code: '1001' },
  { name: 'timestamp in Unix milliseconds', request: () => withTimestamp(String(Date.now())), code: '1001' },
  { name: 'timestamp in ISO-8601', request: () => withTimestamp(new Date().toISOString()), code: '1001' },
  { name: 'timestamp with a zone suffix', request: () => withTimestamp(`${formatTimestamp(new Date())}+0800`), code: '1001' },
  { name: 'timestamp of 13 digits', request: () => withTimestamp(formatTimestamp(new Date()).slice(0, 13)), code: '1001' },
  { name: 'timestamp with month 13', request: () => withTimestamp('20241301120000'), code: '1001' },
  { name: 'timestamp on February 30', request: () => withTimestamp('20240230120000'), code: '1001' },
  { name: 'timestamp at hour 24', request: () => withTimestamp('20240901240000'), code: '1001' },
  { name: 'timestamp with full-width digits', request: () => withTimestamp('２０２４０９０１０８３０００'), code: '1001' },
  { name: 'timestamp written in UTC instead of GMT+8', request: () => withTimestamp(formatTimestamp(new Date(Date.now() - 8 * HOUR_MS))), code: '1003' },
  { name: 'timestamp 11 minutes ahead', request: () => withTimestamp(formatTimestamp(new Date(Date.now() + 11 * 60_000))), code: '1003' },
  { name: 'timestamp in 2099', request: () => withTimestamp('20990101000000'), code: '1003' },
  { name: 'timestamp in year 0001', request: () => withTimestamp('00010101000000'), code: '1003' },
  { name: 'x-sign of 31 hex characters', request: () => withHeaders({ 'x-sign': 'a'.repeat(31) }), code: '1001' },
  { name: 'x-sign of 33 hex characters', request: () => withHeaders({ 'x-sign': 'a'.repeat(33) }), code: '1001' },
  { name: 'x-sign of 40 hex characters (SHA-1 length)', request: () => withHeaders({ 'x-sign': 'a'.repeat(40) }), code: '1001' },
  { name: 'x-sign of 32 non-hex characters', request: () => withHeaders({ 'x-sign': 'g'.repeat(32) }), code: '1001' },
  { name: 'x-sign in base64', request: () => withHeaders({ 'x-sign': Buffer.alloc(16, 7).toString('base64') }), code: '1001' },
  { name: 'x-sign of 10 KB', request: () => withHeaders({ 'x-sign': 'a'.repeat(10_240) }), code: '1001' },
  { name: 'x-sign of 32 hex characters that do not match', request: () => withHeaders({ 'x-sign': '0'.repeat(32) }), code: '1004' },
  { name: 'x-sign of 64 hex characters for an MD5 client', request: () => withHeaders({ 'x-sign': 'a'.repeat(64) }), code: '1004' },
  { name: 'x-sign made with another sign key', request: () => signedRequest(validBody(), { signKey: 'not-the-key' }), code: '1004' },
  { name: 'x-sign over a re-serialised body', request: () => signedOverOtherBytes(), code: '1004' },
  { name: 'x-sign over another timestamp', request: () => signedAtOtherTime(), code: '1004' },
];

const contentTypeCases: BadInputCase[] = [
  { name: 'Content-Type text/plain', request: () => signedRequest(validBody(), { contentType: 'text/plain' }), code: '2001', httpStatus: 415 },
  { name: 'Content-Type form-urlencoded', request: () => signedRequest(validBody(), { contentType: 'application/x-www-form-urlencoded' }), code: '2001', httpStatus: 415 },
  { name: 'Content-Type with charset GBK', request: () => signedRequest(validBody(), { contentType: 'application/json;charset=GBK' }), code: '2001', httpStatus: 415 },
  { name: 'Content-Type with charset ISO-8859-1', request: () => signedRequest(validBody(), { contentType: 'application/json; charset="iso-8859-1"' }), code: '2001', httpStatus: 415 },
];

const jsonCases: BadInputCase[] = [
  { name: 'body empty', request: () => rawSigned(Buffer.alloc(0)), code: '2001' },
  { name: 'body plain text', request: () => rawSigned(Buffer.from('hello')), code: '2001' },
  { name: 'body truncated in the middle', request: () => rawSigned(Buffer.from(validBody().slice(0, 60))), code: '2001' },
  { name: 'body truncated by one byte', request: () => rawSigned(Buffer.from(validBody().slice(0, -1))), code: '2001' },
  { name: 'body with a trailing comma', request: () => rawSigned(Buffer.from(validBody().replace(/}$/, ',}'))), code: '2001' },
  { name: 'body in single quotes', request: () => rawSigned(Buffer.from(validBody().replaceAll('"', "'"))), code: '2001' },
  { name: 'body of two JSON objects', request: () => rawSigned(Buffer.from(validBody() + validBody())), code: '2001' },
  { name: 'body with invalid UTF-8 in a string', request: () => rawSigned(invalidUtf8Body()), code: '2001' },
  { name: 'body in UTF-16LE', request: () => rawSigned(Buffer.from(validBody(), 'utf16le')), code: '2001' },
  { name: 'body with a lone NUL byte', request: () => rawSigned(Buffer.from([0])), code: '2001' },
  { name: 'body of 100,000 unclosed brackets', request: () => rawSigned(Buffer.from('['.repeat(100_000))), code: '2001' },
];

const validationCases: BadInputCase[] = [
  { name: 'body a JSON array', request: () => rawSigned(Buffer.from(`[${validBody()}]`)), code: '2002' },
  { name: 'body a JSON string', request: () => rawSigned(Buffer.from(JSON.stringify(validBody()))), code: '2002' },
  { name: 'body JSON null', request: () => rawSigned(Buffer.from('null')), code: '2002' },
  { name: 'body a JSON number', request: () => rawSigned(Buffer.from('20240901')), code: '2002' },
  { name: 'body an empty object', request: () => rawSigned(Buffer.from('{}')), code: '2002' },
  { name: 'xh a number', request: () => withBody({ xh: 2024001 }), code: '2002' },
  { name: 'xh an empty string', request: () => withBody({ xh: '' }), code: '2002' },
  { name: 'xh of spaces only', request: () => withBody({ xh: ' \u3000 ' }), code: '2002' },
  { name: 'xh missing', request: () => withBody({ xh: undefined }), code: '2002' },
  { name: 'xh of 65 characters', request: () => withBody({ xh: 'x'.repeat(PUSH_LIMITS.studentNoChars + 1) }), code: '2002' },
  { name: 'xh of 200 KB', request: () => withBody({ xh: 'x'.repeat(200_000) }), code: '2002' },
  { name: 'xh nested 10,000 arrays deep', request: () => rawSigned(Buffer.from(validBody().replace('"bad-input-1"', nested(10_000)))), code: '2002' },
  { name: 'xm of 200 KB of Chinese', request: () => withBody({ xm: '张'.repeat(60_000) }), code: '2002' },
  { name: 'sfzh a number', request: () => withBody({ sfzh: 110105200601011234 }), code: '2002' },
  { name: 'sfzh of 33 characters', request: () => withBody({ sfzh: '1'.repeat(PUSH_LIMITS.idNumberChars + 1) }), code: '2002' },
  { name: 'ksh an object', request: () => withBody({ ksh: { value: '24110101150001' } }), code: '2002' },
  { name: 'bg_sj a number', request: () => withBody({ bg_sj: 20240901083000 }), code: '2002' },
  { name: 'bg_sj in Unix seconds', request: () => withBody({ bg_sj: String(Math.floor(Date.now() / 1000)) }), code: '2002' },
  { name: 'bg_sj in Unix milliseconds', request: () => withBody({ bg_sj: String(Date.now()) }), code: '2002' },
  { name: 'bg_sj in ISO-8601', request: () => withBody({ bg_sj: '2024-09-01T08:30:00+08:00' }), code: '2002' },
  { name: 'bg_sj on February 30', request: () => withBody({ bg_sj: '20240230083000' }), code: '2002' },
  { name: 'bg_sj missing', request: () => withBody({ bg_sj: undefined }), code: '2002' },
  { name: 'cz_lx DELETE', request: () => withBody({ cz_lx: 'DELETE' }), code: '2002' },
  { name: 'cz_lx lower case', request: () => withBody({ cz_lx: 'update' }), code: '2002' },
  { name: 'cz_lx a number', request: () => withBody({ cz_lx: 1 }), code: '2002' },
  { name: 'bg_mx_list a string', request: () => withBody({ bg_mx_list: 'KZ_BJ_ID' }), code: '2002' },
  { name: 'bg_mx_list an object', request: () => withBody({ bg_mx_list: { bg_lx: 'KZ_BJ_ID' } }), code: '2002' },
  { name: 'bg_mx_list of 101 details', request: () => withBody({ bg_mx_list: detailList(PUSH_LIMITS.detailItems + 1) }), code: '2002' },
  { name: 'bg_mx_list of 2,000 details', request: () => withBody({ bg_mx_list: detailList(2_000) }), code: '2002' },
  { name: 'bg_mx_list of 40,000 empty arrays', request: () => withBody({ bg_mx_list: Array.from({ length: 40_000 }, () => []) }), code: '2002' },
  { name: 'bg_mx_list item a number', request: () => withBody({ bg_mx_list: [1] }), code: '2002' },
  { name: 'bg_lx a number', request: () => withBody({ bg_mx_list: [{ bg_lx: 5, bgh_dm: 'A' }] }), code: '2002' },
  { name: 'bg_lx missing', request: () => withBody({ bg_mx_list: [{ bgh_dm: 'A' }] }), code: '2002' },
  { name: 'bgh_dm nested 10,000 objects deep', request: () => rawSigned(Buffer.from(validBody().replace('"6222020200998877665"', deepObject(10_000)))), code: '2002' },
  { name: 'bgh_mc a boolean', request: () => withBody({ bg_mx_list: [{ bg_lx: 'KZ_ZT', bgh_mc: true }] }), code: '2002' },
];

const sizeCases: BadInputCase[] = [
  { name: 'body one byte over the limit', request: () => rawSigned(Buffer.alloc(BODY_LIMIT_BYTES + 1, 0x20)), code: '2003' },
  { name: 'body of 2 MB with a 1 MB xh', request: () => withBody({ xh: 'x'.repeat(1_048_576), xm: '张'.repeat(350_000) }), code: '2003' },
];

/** Every malformed request of the corpus, grouped by what they break. */
export const BAD_INPUT_CASES: BadInputCase[] = [...headerCases, ...contentTypeCases, ...jsonCases, ...validationCases, ...sizeCases];

function invalidUtf8Body(): Buffer {
  const [head, tail] = validBody().split('张三');
  return Buffer.concat([Buffer.from(head!), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(tail!)]);
}

/** Builds the text `{"a":{"a":...}}`; JSON.stringify of a value this deep overflows the stack, so it is written as text. */
function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '"leaf"' + '}'.repeat(depth);
}

/** Signs the compact body but sends a pretty-printed copy, as a sender that re-serialises would. */
function signedOverOtherBytes(): InjectOptions {
  const request = signedRequest(validBody());
  return { ...request, payload: JSON.stringify(JSON.parse(validBody()), null, 2) };
}

function signedAtOtherTime(): InjectOptions {
  const body = Buffer.from(validBody());
  const signedAt = formatTimestamp(new Date(Date.now() - 60_000));
  const signature = computeSignature('MD5', { body, appKey: MD5_CLIENT.appKey, timestamp: signedAt, signKey: MD5_CLIENT.signKeys[0]! });
  return signedRequest(body, { headers: { 'x-sign': signature } });
}
