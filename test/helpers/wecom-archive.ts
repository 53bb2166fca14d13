import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from './harness.ts';

/** The archive companion's push secret in tests: `whsec_` and 32 bytes in base64, as Standard Webhooks makes them. */
export const ARCHIVE_SECRET = `whsec_${Buffer.from('liaison-archive-test-secret-0123').toString('base64')}`;

/** A push body of test/fixtures/wecom-archive, written from the record formats in the platform guide (6.3, 6.8.4). */
export function archiveFixture(name: string): { records: Array<Record<string, unknown>> } {
  const path = join(import.meta.dirname, '..', 'fixtures', 'wecom-archive', name);
  return JSON.parse(readFileSync(path, 'utf8')) as { records: Array<Record<string, unknown>> };
}

export interface PushOptions {
  secret?: string;
  /** Unix seconds; now by the harness clock when absent. */
  timestamp?: number;
  id?: string;
  /** Headers to leave out. */
  omit?: string[];
  /** Replaces the computed signature header. */
  signature?: string;
}

/** Standard Webhooks headers for `body`: `v1,` and base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`. */
export function archiveHeaders(body: string, nowMs: number, o: PushOptions = {}): Record<string, string> {
  const id = o.id ?? `msg_${createHmac('sha256', 'id').update(body).digest('hex').slice(0, 24)}`;
  const timestamp = String(o.timestamp ?? Math.floor(nowMs / 1000));
  const secret = o.secret ?? ARCHIVE_SECRET;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': o.signature ?? `v1,${signature}`,
  };
  for (const name of o.omit ?? []) delete headers[name];
  return headers;
}

/** Pushes records to the harness as the companion would. */
export function pushArchive(h: Harness, body: unknown, o: PushOptions = {}): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${h.url}/webhooks/wecom-archive`, {
    method: 'POST',
    headers: archiveHeaders(text, h.clock.now(), o),
    body: text,
  });
}

/** A one-to-one archived text record between a member and a customer, written by either; `seq` is the caller's. */
export function oneToOneText(
  o: { seq: number; member: string; customer: string; fromCustomer: boolean },
  content: string,
  msgtime: number,
) {
  return {
    seq: o.seq,
    msgid: `${o.seq}_${msgtime}${o.fromCustomer ? '_external' : ''}`,
    action: 'send',
    from: o.fromCustomer ? o.customer : o.member,
    tolist: [o.fromCustomer ? o.member : o.customer],
    roomid: '',
    msgtime,
    msgtype: 'text',
    text: { content },
  };
}

/** The customer record a platform account (external id) landed on. */
export async function customerIdOf(h: Harness, externalId: string): Promise<number> {
  const row = await h.db
    .selectFrom('identities')
    .select('customer_id')
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.customer_id;
}
