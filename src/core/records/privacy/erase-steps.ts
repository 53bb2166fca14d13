import type { Kysely } from 'kysely';
import { isPostgres } from '../../../../db/dialect.ts';
import type { Database } from '../../../../db/schema.ts';
import { chunked, rowsHoldingTraces } from './scan.ts';
import { holdsTrace, type Trace } from './traces.ts';

/** The audit action of an erasure; its entries hold ids and counts only, and a re-run keeps them. */
export const ERASED_ACTION = 'customer.erased';

/** What one erasure works on. */
export interface ErasureScope {
  db: Kysely<Database>;
  now: number;
  /** The customer and every record merged into them, merged ones first. */
  ids: number[];
  /** Their one-to-one chats. */
  chatIds: number[];
  traces: Trace[];
}

/** One table's part of an erasure: how many rows it concerns, and doing it (returns how many it changed). */
export interface ErasureStep {
  table: keyof Database;
  count(s: ErasureScope): Promise<number>;
  run(s: ErasureScope): Promise<number>;
}

/** A step over rows found by their keys: counting finds them, running changes them in bounded statements. */
function byKeys(
  table: keyof Database,
  find: (s: ErasureScope) => Promise<Array<string | number>>,
  change: (s: ErasureScope, keys: Array<string | number>) => Promise<unknown>,
): ErasureStep {
  return {
    table,
    count: async (s) => new Set(await find(s)).size,
    async run(s) {
      const keys = [...new Set(await find(s))];
      for (const part of chunked(keys)) await change(s, part);
      return keys.length;
    },
  };
}

const ids = (keys: Array<string | number>): number[] => keys.map(Number);

/** Tables whose rows point at a customer by `customer_id`, deleted with them. */
const DELETED_BY_CUSTOMER = [
  'customer_search_grams',
  'customer_tags',
  'notes',
  'deals',
  'reminders',
  'alerts',
  'customer_events',
  'transfers',
  'contact_relations',
  'chat_members',
  'conversation_bursts',
  'customer_sources',
  'campaign_recipients',
  'customer_outreach',
  'sop_enrollments',
  'relays',
  'inbox_relays',
  'inbox_topics',
  'identity_checks',
] as const;

/** A step deleting the rows that point at the customers (one shape for every such table). */
function deletedByCustomer(table: (typeof DELETED_BY_CUSTOMER)[number]): ErasureStep {
  // The tables differ, the column does not: typed as one of them.
  const t = table as 'notes';
  // PostgreSQL keeps search keys in the customer row (a tsvector) and has no gram table.
  const absent = (s: ErasureScope) => table === 'customer_search_grams' && isPostgres(s.db);
  return {
    table,
    async count(s) {
      if (absent(s)) return 0;
      const row = await s.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('customer_id', 'in', s.ids)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async run(s) {
      if (absent(s)) return 0;
      const r = await s.db.deleteFrom(t).where('customer_id', 'in', s.ids).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** A step deleting the rows that name the customers in either of two columns (merges, suggestions). */
function deletedByPair(
  table: 'customer_merges' | 'merge_suggestions',
  first: 'survivor_id' | 'customer_a_id',
  second: 'merged_id' | 'customer_b_id',
): ErasureStep {
  // The two tables differ, the shape does not: typed as one of them.
  const t = table as 'customer_merges';
  const [a, b] = [first as 'survivor_id', second as 'merged_id'];
  return byKeys(
    table,
    async (s) =>
      (
        await s.db
          .selectFrom(t)
          .select('id')
          .where((eb) => eb.or([eb(a, 'in', s.ids), eb(b, 'in', s.ids)]))
          .execute()
      ).map((r) => r.id),
    (s, keys) => s.db.deleteFrom(t).where('id', 'in', ids(keys)).execute(),
  );
}

/** Messages of the customers, and every message in their one-to-one chats (the staff side too). */
const messageIds = async (s: ErasureScope): Promise<number[]> =>
  (
    await s.db
      .selectFrom('messages')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('customer_id', 'in', s.ids),
          ...(s.chatIds.length > 0 ? [eb('chat_id', 'in', s.chatIds)] : []),
        ]),
      )
      .execute()
  ).map((m) => m.id);

/** The erasure, in order: traces first (while their sources exist), then what points at the customer. */
export const erasureSteps: ErasureStep[] = [
  // Raw deliveries keep their row and dedup key. A pending one is settled unprocessed, but only when it carries a
  // platform id, phone or email of the customer: a name alone may be part of a staff member's unrelated command.
  byKeys(
    'inbox',
    async (s) => {
      const strong = s.traces.filter((t) => t.strong);
      const rows = await rowsHoldingTraces(s.db, 'inbox', 'id', ['payload', 'last_error'], s.traces, [
        'status',
      ]);
      return rows
        .filter((r) => r.status !== 'pending' || holdsTrace(String(r.payload), strong))
        .map((r) => r.key);
    },
    async (s, keys) => {
      await s.db
        .updateTable('inbox')
        .set({ payload: '', last_error: null })
        .where('id', 'in', ids(keys))
        .execute();
      await s.db
        .updateTable('inbox')
        .set({ status: 'done', lease_owner: null, processed_at: s.now })
        .where('id', 'in', ids(keys))
        .where('status', '=', 'pending')
        .execute();
    },
  ),
  // Sends keep their idempotency key (re-running the same work never sends again); unsent ones are dropped.
  byKeys(
    'outbox',
    async (s) => {
      const linked = await s.db
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('customer_id', 'in', s.ids),
            ...(s.chatIds.length > 0 ? [eb('chat_id', 'in', s.chatIds)] : []),
          ]),
        )
        .execute();
      const columns = ['content', 'target', 'target_key', 'last_error', 'result'];
      const traced = await rowsHoldingTraces(s.db, 'outbox', 'id', columns, s.traces);
      return [...linked.map((r) => r.id), ...traced.map((r) => r.key)];
    },
    async (s, keys) => {
      await s.db
        .updateTable('outbox')
        .set({
          target: '{}',
          content: '{}',
          target_key: null,
          customer_id: null,
          chat_id: null,
          last_error: null,
          result: null,
        })
        .where('id', 'in', ids(keys))
        .execute();
      await s.db
        .updateTable('outbox')
        .set({ status: 'failed', lease_owner: null, last_error: 'erased with its customer' })
        .where('id', 'in', ids(keys))
        .where('status', '=', 'pending')
        .execute();
    },
  ),
  // Entries stay (who did what, when); what they say about the customer goes.
  byKeys(
    'audit_log',
    async (s) => {
      const about = await s.db
        .selectFrom('audit_log')
        .select('id')
        .where('subject_kind', '=', 'customer')
        .where('subject_id', 'in', s.ids.map(String))
        .where('detail', 'is not', null)
        .where('action', '!=', ERASED_ACTION) // an earlier, interrupted run's entry: ids and counts, kept
        .execute();
      const traced = await rowsHoldingTraces(s.db, 'audit_log', 'id', ['detail'], s.traces);
      return [...about.map((r) => r.id), ...traced.map((r) => r.key)];
    },
    (s, keys) => s.db.updateTable('audit_log').set({ detail: null }).where('id', 'in', ids(keys)).execute(),
  ),
  byKeys(
    'pending_requests',
    async (s) =>
      (await rowsHoldingTraces(s.db, 'pending_requests', 'id', ['commands', 'summary'], s.traces)).map(
        (r) => r.key,
      ),
    (s, keys) => s.db.deleteFrom('pending_requests').where('id', 'in', ids(keys)).execute(),
  ),
  // The playground's web chats: the customer's own chat (its id is their web identity) and what quotes them.
  byKeys(
    'web_messages',
    async (s) =>
      (await rowsHoldingTraces(s.db, 'web_messages', 'id', ['chat_id', 'text', 'card'], s.traces)).map(
        (r) => r.key,
      ),
    (s, keys) => s.db.deleteFrom('web_messages').where('id', 'in', ids(keys)).execute(),
  ),
  // The cache has no customer column: answers naming them, and those written while their conversations were read
  // (it is a cache: another customer's answer dropped with them is only asked for again).
  byKeys(
    'llm_cache',
    async (s) => {
      const read = await s.db
        .selectFrom('conversation_bursts')
        .select(['last_message_at', 'updated_at'])
        .where('customer_id', 'in', s.ids)
        .where('llm_attempts', '>', 0)
        .execute();
      const keys: Array<string | number> = [];
      for (const b of read) {
        const during = await s.db
          .selectFrom('llm_cache')
          .select('cache_key')
          .where('created_at', '>=', b.last_message_at)
          .where('created_at', '<=', b.updated_at)
          .execute();
        keys.push(...during.map((r) => r.cache_key));
      }
      const traced = await rowsHoldingTraces(s.db, 'llm_cache', 'cache_key', ['result'], s.traces);
      return [...keys, ...traced.map((r) => r.key)];
    },
    (s, keys) => s.db.deleteFrom('llm_cache').where('cache_key', 'in', keys.map(String)).execute(),
  ),
  ...DELETED_BY_CUSTOMER.map(deletedByCustomer),
  // A merge's snapshot holds both records' names, phones and rows: merges naming the customer on either side go.
  deletedByPair('customer_merges', 'survivor_id', 'merged_id'),
  deletedByPair('merge_suggestions', 'customer_a_id', 'customer_b_id'),
  // Their referral links stop working and no longer name them; customers they referred keep only the fact.
  byKeys(
    'channel_codes',
    async (s) =>
      (
        await s.db
          .selectFrom('channel_codes')
          .select('id')
          .where('referrer_customer_id', 'in', s.ids)
          .execute()
      ).map((r) => r.id),
    (s, keys) =>
      s.db
        .updateTable('channel_codes')
        .set({ active: 0, referrer_customer_id: null, name: 'erased referral', updated_at: s.now })
        .where('id', 'in', ids(keys))
        .execute(),
  ),
  byKeys(
    'customer_sources',
    async (s) =>
      (
        await s.db
          .selectFrom('customer_sources')
          .select('id')
          .where('referrer_customer_id', 'in', s.ids)
          .execute()
      ).map((r) => r.id),
    (s, keys) =>
      s.db
        .updateTable('customer_sources')
        .set({ referrer_customer_id: null })
        .where('id', 'in', ids(keys))
        .execute(),
  ),
  byKeys(
    'message_revisions',
    async (s) => {
      const found: number[] = [];
      for (const part of chunked(await messageIds(s))) {
        const rows = await s.db
          .selectFrom('message_revisions')
          .select('id')
          .where('message_id', 'in', part)
          .execute();
        found.push(...rows.map((r) => r.id));
      }
      return found;
    },
    (s, keys) => s.db.deleteFrom('message_revisions').where('id', 'in', ids(keys)).execute(),
  ),
  byKeys('messages', messageIds, (s, keys) =>
    s.db.deleteFrom('messages').where('id', 'in', ids(keys)).execute(),
  ),
  byKeys(
    'chats',
    async (s) => s.chatIds,
    (s, keys) => s.db.deleteFrom('chats').where('id', 'in', ids(keys)).execute(),
  ),
  // Last of the traces' sources before the customer rows: until here, a re-run finds every trace again.
  byKeys(
    'identities',
    async (s) =>
      (await s.db.selectFrom('identities').select('id').where('customer_id', 'in', s.ids).execute()).map(
        (r) => r.id,
      ),
    (s, keys) => s.db.deleteFrom('identities').where('id', 'in', ids(keys)).execute(),
  ),
];

/** Every table erasure deletes from or blanks; a table added later that holds customer data must join `steps`. */
export const ERASED_TABLES: ReadonlyArray<keyof Database> = [
  ...erasureSteps.map((s) => s.table),
  'customers',
];
