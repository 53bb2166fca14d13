import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs, mayHandlePrivacy } from '../../kernel/permissions/actor.ts';
import { rowsHoldingTraces } from './scan.ts';
import { customerFamily, customerTraces } from './traces.ts';

/** A record as exported: camelCase keys, times as ISO 8601, JSON columns parsed. */
export type ExportedRecord = Record<string, unknown>;

/**
 * Everything held about one customer (PIPL 查阅复制权 / GDPR art. 15 and 20), machine-readable. Each section is a
 * table's rows about the customer and the records merged into them; `inbox` and `outbox` are the raw deliveries
 * and sends that carry their platform ids, phone or email.
 */
export interface CustomerExport {
  format: 'liaison.customer-export.v1';
  exportedAt: string;
  customerId: number;
  /** The customer first, then every record merged into them. */
  customers: ExportedRecord[];
  identities: ExportedRecord[];
  contactRelations: ExportedRecord[];
  chats: ExportedRecord[];
  groupMemberships: ExportedRecord[];
  messages: ExportedRecord[];
  messageRevisions: ExportedRecord[];
  tags: ExportedRecord[];
  notes: ExportedRecord[];
  deals: ExportedRecord[];
  reminders: ExportedRecord[];
  stageHistory: ExportedRecord[];
  events: ExportedRecord[];
  /** What the model and the rules read in their conversations (intent, sentiment, summary) and raised. */
  conversations: ExportedRecord[];
  alerts: ExportedRecord[];
  transfers: ExportedRecord[];
  pendingRequests: ExportedRecord[];
  auditLog: ExportedRecord[];
  inbox: ExportedRecord[];
  outbox: ExportedRecord[];
}

/** Tables with a `customer_id` and an `id`, exported whole. */
type LinkedTable =
  | 'identities'
  | 'contact_relations'
  | 'chat_members'
  | 'notes'
  | 'deals'
  | 'reminders'
  | 'customer_events'
  | 'conversation_bursts'
  | 'alerts'
  | 'transfers';

const STAGE_EVENTS = new Set(['stage_changed', 'stage_suggested']);

const JSON_COLUMNS = new Set(['profile', 'detail', 'attachment', 'content', 'target', 'commands', 'chat']);

/** The export of one customer, audited (ids and counts only); null for an unknown customer; directors and up. */
export async function exportCustomer(
  db: Kysely<Database>,
  now: number,
  customerId: number,
  actor: Actor,
): Promise<CustomerExport | null | 'not_allowed'> {
  if (!mayHandlePrivacy(actor)) return 'not_allowed';
  const known = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
  if (!known) return null;
  const ids = await customerFamily(db, customerId);
  const byCustomer = (table: LinkedTable): Promise<object[]> =>
    // The tables differ, the column does not: typed as one of them.
    db
      .selectFrom(table as 'notes')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
  const chats = await db
    .selectFrom('chats')
    .selectAll()
    .where('customer_id', 'in', ids)
    .orderBy('id')
    .execute();
  const chatIds = chats.map((c) => c.id);
  const messages = await db
    .selectFrom('messages')
    .selectAll()
    .where((eb) =>
      eb.or([eb('customer_id', 'in', ids), ...(chatIds.length ? [eb('chat_id', 'in', chatIds)] : [])]),
    )
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
  const traces = await customerTraces(db, ids);
  // A name may also be someone else's: raw records are matched on what identifies the person exactly.
  const exact = traces.filter((t) => t.strong || t.text.startsWith('#'));
  const customers = await db.selectFrom('customers').selectAll().where('id', 'in', ids).execute();
  const events = await byCustomer('customer_events');
  const result: CustomerExport = {
    format: 'liaison.customer-export.v1',
    exportedAt: new Date(now).toISOString(),
    customerId,
    customers: ids
      .reverse()
      .flatMap((id) => customers.filter((c) => c.id === id))
      .map(exported),
    identities: (await byCustomer('identities')).map(exported),
    contactRelations: (await byCustomer('contact_relations')).map(exported),
    chats: chats.map(exported),
    groupMemberships: (await byCustomer('chat_members')).map(exported),
    messages: messages.map(exported),
    messageRevisions: (
      await revisionsOf(
        db,
        messages.map((m) => m.id),
      )
    ).map(exported),
    tags: (await tagsOf(db, ids)).map(exported),
    notes: (await byCustomer('notes')).map(exported),
    deals: (await byCustomer('deals')).map(exported),
    reminders: (await byCustomer('reminders')).map(exported),
    stageHistory: events.filter((e) => 'kind' in e && STAGE_EVENTS.has(String(e.kind))).map(exported),
    events: events.map(exported),
    conversations: (await byCustomer('conversation_bursts')).map(exported),
    alerts: (await byCustomer('alerts')).map(exported),
    transfers: (await byCustomer('transfers')).map(exported),
    pendingRequests: (await rowsHoldingTraces(db, 'pending_requests', 'id', ['commands', 'summary'], exact))
      .map(({ key: _, ...row }) => row)
      .map(exported),
    auditLog: (await auditAbout(db, ids)).map(exported),
    inbox: await inboxOf(db, exact),
    outbox: await outboxOf(db, ids, chatIds, exact),
  };
  await audit(db, now, {
    ...auditedAs(actor),
    action: 'customer.exported',
    subjectKind: 'customer',
    subjectId: customerId,
    detail: { customers: ids, records: countsOf(result) },
  });
  return result;
}

/** How many records each section holds. */
export function countsOf(e: CustomerExport): Record<string, number> {
  return Object.fromEntries(
    Object.entries(e)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).length]),
  );
}

async function revisionsOf(db: Kysely<Database>, messageIds: number[]) {
  const rows = [];
  for (let at = 0; at < messageIds.length; at += 90) {
    const part = messageIds.slice(at, at + 90);
    rows.push(
      ...(await db.selectFrom('message_revisions').selectAll().where('message_id', 'in', part).execute()),
    );
  }
  return rows;
}

function tagsOf(db: Kysely<Database>, ids: number[]) {
  return db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags', 'tags.id', 'ct.tag_id')
    .leftJoin('staff', 'staff.id', 'ct.actor_staff_id')
    .select([
      'ct.customer_id',
      'tags.name',
      'ct.source',
      'ct.source_ref',
      'ct.confidence',
      'ct.message_id',
      'ct.actor_staff_id',
      'staff.display_name as actor_name',
      'ct.created_at',
    ])
    .where('ct.customer_id', 'in', ids)
    .orderBy('ct.created_at')
    .execute();
}

/** Entries whose subject is one of the customers (alone, or in a list of customers read at once). */
async function auditAbout(db: Kysely<Database>, ids: number[]) {
  const wanted = new Set(ids.map(String));
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_kind', '=', 'customer')
    .where((eb) => eb.or(ids.map((id) => eb('subject_id', 'like', `%${id}%`))))
    .orderBy('id')
    .execute();
  return rows.filter((r) => (r.subject_id ?? '').split(',').some((s) => wanted.has(s)));
}

async function inboxOf(db: Kysely<Database>, traces: Parameters<typeof rowsHoldingTraces>[4]) {
  const found = await rowsHoldingTraces(db, 'inbox', 'id', ['payload'], traces, [
    'platform',
    'dedup_key',
    'status',
    'received_at',
    'processed_at',
  ]);
  return found.sort((a, b) => Number(a.key) - Number(b.key)).map(({ key: _, ...row }) => exported(row));
}

async function outboxOf(
  db: Kysely<Database>,
  ids: number[],
  chatIds: number[],
  traces: Parameters<typeof rowsHoldingTraces>[4],
) {
  const columns = ['id', 'platform', 'kind', 'target', 'content', 'status', 'created_at', 'sent_at'] as const;
  const linked = await db
    .selectFrom('outbox')
    .select(columns)
    .where((eb) =>
      eb.or([eb('customer_id', 'in', ids), ...(chatIds.length ? [eb('chat_id', 'in', chatIds)] : [])]),
    )
    .execute();
  const traced = (await rowsHoldingTraces(db, 'outbox', 'id', ['target'], traces)).map((r) => Number(r.key));
  const rows = new Map(linked.map((r) => [r.id, r]));
  const missing = traced.filter((id) => !rows.has(id));
  for (let at = 0; at < missing.length; at += 90) {
    const part = missing.slice(at, at + 90);
    for (const r of await db.selectFrom('outbox').select(columns).where('id', 'in', part).execute())
      rows.set(r.id, r);
  }
  return [...rows.values()].sort((a, b) => a.id - b.id).map(exported);
}

/** A row as exported: camelCase keys, `*_at` times in ISO 8601, JSON text parsed. */
function exported(row: object): ExportedRecord {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [camel(key), exportedValue(key, value)]),
  );
}

function exportedValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if ((key === 'at' || key.endsWith('_at')) && typeof value === 'number')
    return new Date(value).toISOString();
  if (JSON_COLUMNS.has(key) && typeof value === 'string') {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
