import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ConversationArchive, WebhookRequest, WebhookVerdict } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import type { ChatRef, InboundEvent, MessageEvent, PersonRef } from '../../src/core/ports/events.ts';
import { checkPayload, parseJsonPayload, readPayload } from '../payload.ts';
import { archiveContent, bodyOf, num, str } from './content.ts';
import { type ArchiveRecord, archivePush, archiveRecord, type WecomConfig } from './types.ts';

/** Standard Webhooks' tolerance: a push older or newer than five minutes is a replay or a wrong clock. */
const TOLERANCE_S = 300;
const WHAT = 'WeCom archive record of an unexpected shape';

/** The chat archive's door, where `WECOM_ARCHIVE_SECRET` is set; absent otherwise (the route is off). */
export function wecomArchive(config: WecomConfig, clock: Clock): ConversationArchive | undefined {
  if (!config.archiveSecret) return undefined;
  const key = archiveKey(config.archiveSecret);
  return { verify: async (request) => verifyArchivePush(request, key, clock) };
}

/** A `whsec_…` secret's key bytes (Standard Webhooks: base64 after the prefix). */
export function archiveKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/**
 * Standard Webhooks: HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}`, base64, as `v1,<sig>` among
 * space-separated signatures (several while a secret rotates). Signature first, then freshness, then the body.
 */
export function verifyArchivePush(request: WebhookRequest, key: Buffer, clock: Clock): WebhookVerdict {
  if (request.method !== 'POST') return reject(405, 'the archive companion POSTs');
  const id = request.headers.get('webhook-id');
  const timestamp = request.headers.get('webhook-timestamp');
  const signatures = request.headers.get('webhook-signature');
  if (!id || !timestamp || !signatures)
    return reject(400, 'missing webhook-id, webhook-timestamp or webhook-signature');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    // Every candidate is compared in full: which one matched must not show in the timing.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return reject(401, 'bad signature');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(clock.now() / 1000 - Number(timestamp)) > TOLERANCE_S)
    return reject(401, 'stale or malformed timestamp');
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return reject(400, 'body is not JSON');
  }
  const push = checkPayload(archivePush, body);
  if (!push.ok) return reject(400, `body is not an archive push: ${push.reason}`);
  // One delivery per record: the inbox deduplicates by msgid and keeps each conversation in order.
  const deliveries = push.value.records.map((r) => ({
    dedupKey: `archive:${r.msgid}`,
    payload: JSON.stringify(r),
  }));
  // And one for the push: how far the archive has been received (a high-water mark, not one write per record).
  const through = highestSeq(push.value.records);
  if (through !== null) {
    const at = clock.now();
    deliveries.push({ dedupKey: `archive-seq:${through}`, payload: JSON.stringify({ through, at }) });
  }
  return { kind: 'accept', deliveries, body: '' };
}

/** The highest `seq` among records, as digits; null when none carries one. */
function highestSeq(records: Array<Record<string, unknown>>): string | null {
  let best: bigint | null = null;
  for (const r of records) {
    const seq = typeof r.seq === 'number' || typeof r.seq === 'string' ? String(r.seq) : '';
    if (!/^\d{1,19}$/.test(seq)) continue;
    if (best === null || BigInt(seq) > best) best = BigInt(seq);
  }
  return best === null ? null : String(best);
}

/** How far a push reached, stored beside its records. */
const progressSchema = z.object({ through: z.string().regex(/^\d{1,19}$/), at: z.int() });

/** External contacts (`wm…` WeChat users, `wo…` other corps' members); members' user ids are the corp's own. */
const EXTERNAL = /^w[mo][\w-]{8,}$/;
/** Group robots (群机器人) write as `wb…`: the corp's own bots, not customers. */
const ROBOT = /^wb/;

/** Whether an archive id names an external contact rather than a member. */
export const isExternalId = (id: string): boolean => EXTERNAL.test(id);

/** A stored archive record to events: a message, a withdrawal, or a consent notice. Pure. */
export function decodeArchiveRecord(payload: string, corpId: string): InboundEvent[] {
  const parsed = parseJsonPayload(payload, WHAT);
  if (typeof parsed === 'object' && parsed !== null && 'through' in parsed && !('msgid' in parsed)) {
    const p = readPayload(progressSchema, parsed, WHAT);
    return [
      { platform: 'wecom', workspace: corpId, occurredAt: p.at, kind: 'archive_progress', seq: p.through },
    ];
  }
  return recordEvents(readPayload(archiveRecord, parsed, WHAT), corpId);
}

function recordEvents(r: ArchiveRecord, corpId: string): InboundEvent[] {
  // `switch`: a member switched their client to another corp; no conversation, a moment for the audit log.
  if (r.action === 'switch') {
    if (!r.user || isExternalId(r.user)) return [];
    return [
      {
        platform: 'wecom',
        workspace: corpId,
        occurredAt: r.time ?? r.msgtime ?? 0,
        kind: 'archive_progress',
        switched: { member: { externalId: r.user, workspace: corpId, side: 'brand' }, recordId: r.msgid },
      },
    ];
  }
  const from = r.from;
  if (!from || ROBOT.test(from)) return [];
  const person = (id: string): PersonRef => ({
    externalId: id,
    workspace: corpId,
    side: isExternalId(id) ? 'customer' : 'brand',
  });
  const base = { platform: 'wecom' as const, workspace: corpId, occurredAt: r.msgtime ?? 0 };
  const msgtype = r.msgtype ?? '';
  if (msgtype === 'agree' || msgtype === 'disagree') {
    const b = bodyOf(r, msgtype);
    const who = str(b.userid) ?? from;
    if (!isExternalId(who)) return [];
    const at = num(b[`${msgtype}_time`]) ?? base.occurredAt;
    return [
      {
        ...base,
        occurredAt: at,
        kind: 'notice',
        customer: person(who),
        notice: `archive_${msgtype}`,
        noticeId: `archive:${r.msgid}`,
      },
    ];
  }
  const where = chatOf(r, from, person);
  if (!where) return []; // members among themselves: not a customer conversation
  if (r.action === 'recall' || msgtype === 'revoke') {
    const withdrawn = str(bodyOf(r, 'revoke').pre_msgid);
    if (!withdrawn) return [];
    return [
      {
        ...base,
        kind: 'messages_deleted',
        chat: where.chat,
        messageIds: [withdrawn],
        recalledBy: person(from),
      },
    ];
  }
  const read = archiveContent(r, msgtype);
  const event: MessageEvent = {
    ...base,
    kind: 'message',
    chat: where.chat,
    sender: person(from),
    messageId: r.msgid,
    text: read.text,
    contentType: read.type,
    ...(read.content ? { content: read.content } : {}),
    ...(read.attachment ? { attachment: read.attachment } : {}),
    archived: where.between ? { between: where.between } : {},
  };
  return [event];
}

/** The conversation of a record: the customer group (`roomid`), or a member's one-to-one chat with a customer. */
function chatOf(
  r: ArchiveRecord,
  from: string,
  person: (id: string) => PersonRef,
): { chat: ChatRef; between?: { member: PersonRef; customer: PersonRef } } | null {
  if (r.roomid)
    return { chat: { key: `group:${r.roomid}`, kind: 'external_group', platformChatId: r.roomid } };
  const other = r.tolist?.[0];
  if (!other || isExternalId(other) === isExternalId(from)) return null;
  const [member, customer] = isExternalId(from) ? [other, from] : [from, other];
  return {
    chat: { key: `pair:${member}:${customer}`, kind: 'private', platformChatId: customer },
    between: { member: person(member), customer: person(customer) },
  };
}

const reject = (status: 400 | 401 | 405, reason: string): WebhookVerdict => ({
  kind: 'reject',
  status,
  reason,
});
