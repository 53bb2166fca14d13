import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { DEFAULT_RULE_SET } from '../../core/kernel/tagging/default-rules.ts';
import { compileRules, tagText } from '../../core/kernel/tagging/rules.ts';
import { indexCustomerSearch } from '../../core/records/customers/search-index.ts';
import { buildSearchText } from '../../core/records/customers/search-text.ts';
import { type DemoConversation, demoConversation } from './conversations.ts';
import { seedCrm, tagCustomer } from './crm.ts';
import type { SeededStaff } from './org.ts';
import { type DemoPerson, demoPeople } from './people.ts';
import type { Random } from './random.ts';

const DAY = 86_400_000;
export const DEMO_ORIGIN = 'demo:';
export const DEMO_CHAT_PREFIX = 'demo-customer-';

const STAGES = [
  ['lead', 35],
  ['interested', 25],
  ['won', 18],
  ['repeat', 10],
  ['lost', 12],
] as const;
const SOURCES = [
  ['wecom', 40],
  ['wecom:展会', 10],
  ['feishu', 12],
  ['telegram', 5],
  ['web', 13],
  ['import:老客户名单.xlsx', 20],
] as const;
const SUMMARIES: Record<string, string> = {
  lead: '客户初次咨询产品和价格，尚未明确需求',
  interested: '客户在比较价格，关注交货期和批量折扣',
  won: '客户已下单付款，关注发货进度',
  repeat: '老客户复购，希望沿用上次的价格',
  lost: '客户对上次的质量问题不满，已转向别家',
};

export interface DemoSeedPlaces {
  /** The web channel's chat workspace and people workspace (adapters/web/types.ts). */
  webWorkspace: string;
  webPeopleWorkspace: string;
}

export interface SeededCustomer {
  id: number;
  ownerId: number | null;
  stage: string;
  person: DemoPerson;
  conversation: DemoConversation;
  /** Message ids by position in `conversation.messages`. */
  messageIds: number[];
  burstIds: number[];
}

/**
 * Seeds `count` customers of the demo organisation, each with an identity and a chat on the web channel (so the
 * playground can be them), a conversation, what the rules read in it, and the CRM records sales keeps about them.
 */
export async function seedCustomers(
  db: Kysely<Database>,
  random: Random,
  staff: SeededStaff[],
  count: number,
  now: number,
  places: DemoSeedPlaces,
): Promise<SeededCustomer[]> {
  const reps = staff.filter((s) => s.role === 'rep');
  const leads = staff.filter((s) => s.role === 'manager' && s.city);
  const nextPerson = demoPeople(random);
  const rules = compileRules(DEFAULT_RULE_SET);
  const seeded: SeededCustomer[] = [];
  for (let n = 1; n <= count; n++) {
    const owner = random.weighted([
      [random.pick(reps), 85],
      [random.pick(leads), 5],
      [null, 10],
    ] as const);
    const stage = random.weighted(STAGES);
    const person = nextPerson(owner?.city ?? null);
    const conversation = demoConversation(random, stage, now);
    const customer = await insertCustomer(db, random, { n, owner, stage, person, conversation, now, places });
    const replier = owner ?? random.pick(reps);
    const messageIds = await insertMessages(db, customer.chatId, customer.id, conversation, replier.id, n);
    const burstIds = await insertBursts(db, random, customer.id, stage, conversation, now);
    // What the shipped rules find in the customer's messages, as the live tagger would have recorded it.
    const tagged = new Set<string>();
    for (const [i, m] of conversation.messages.entries()) {
      if (m.direction !== 'in') continue;
      for (const hit of tagText(rules, m.text)) {
        if (tagged.has(hit.tag)) continue;
        tagged.add(hit.tag);
        await tagCustomer(db, customer.id, hit.tag, now, {
          source: 'rule',
          source_ref: hit.ruleId,
          confidence: hit.confidence,
          message_id: messageIds[i] ?? null,
        });
      }
    }
    seeded.push({
      id: customer.id,
      ownerId: owner?.id ?? null,
      stage,
      person,
      conversation,
      messageIds,
      burstIds,
    });
  }
  await seedCrm(db, random, seeded, staff, now);
  return seeded;
}

async function insertCustomer(
  db: Kysely<Database>,
  random: Random,
  c: {
    n: number;
    owner: SeededStaff | null;
    stage: string;
    person: DemoPerson;
    conversation: DemoConversation;
    now: number;
    places: DemoSeedPlaces;
  },
) {
  const { messages, firstContactAt } = c.conversation;
  const lastOf = (direction: 'in' | 'out') =>
    messages
      .filter((m) => m.direction === direction)
      .reduce<number | null>((a, m) => Math.max(a ?? 0, m.sentAt), null);
  const lastInbound = lastOf('in');
  const lastOutbound = lastOf('out');
  const lastContact = Math.max(lastInbound ?? 0, lastOutbound ?? 0) || null;
  const stale = (lastContact ?? firstContactAt) < c.now - 30 * DAY;
  const negative = c.stage === 'lost' && random.chance(0.5);
  const read = random.chance(0.6);
  const externalId = `${DEMO_CHAT_PREFIX}${c.n}`;
  const { id } = await db
    .insertInto('customers')
    .values({
      display_name: c.person.name,
      company: c.person.company,
      phone: c.person.phone,
      email: c.person.email,
      owner_staff_id: c.owner?.id ?? null,
      stage: c.stage,
      stage_source: c.stage === 'lead' ? 'auto' : 'manual',
      language: 'zh',
      source: random.weighted(SOURCES),
      do_not_contact: 0,
      origin_key: `${DEMO_ORIGIN}${c.n}`,
      search_text: buildSearchText([c.person.name, c.person.company, c.person.email], c.person.phone),
      first_contact_at: firstContactAt,
      last_contact_at: lastContact,
      last_inbound_at: lastInbound,
      last_outbound_at: lastOutbound,
      created_at: firstContactAt,
      updated_at: c.now,
      churn_risk: (stale ? 50 : 0) + (negative ? 20 : 0),
      sentiment: read ? (negative ? 'negative' : c.stage === 'lost' ? 'neutral' : 'positive') : null,
      summary: read ? (SUMMARIES[c.stage] ?? null) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await indexCustomerSearch(db, id);
  await db
    .insertInto('identities')
    .values({
      customer_id: id,
      platform: 'web',
      workspace: c.places.webPeopleWorkspace,
      external_id: externalId,
      display_name: c.person.name,
      username: null,
      phone: null,
      union_id: null,
      profile: null,
      created_at: firstContactAt,
      updated_at: c.now,
    })
    .execute();
  const chat = await db
    .insertInto('chats')
    .values({
      platform: 'web',
      workspace: c.places.webWorkspace,
      external_key: externalId,
      platform_chat_id: externalId,
      kind: 'private',
      title: c.person.name,
      connection_id: null,
      customer_id: id,
      created_at: firstContactAt,
      updated_at: c.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, chatId: chat.id };
}

async function insertMessages(
  db: Kysely<Database>,
  chatId: number,
  customerId: number,
  conversation: DemoConversation,
  replierId: number,
  n: number,
): Promise<number[]> {
  if (conversation.messages.length === 0) return [];
  const rows = await db
    .insertInto('messages')
    .values(
      conversation.messages.map((m, i) => ({
        chat_id: chatId,
        customer_id: customerId,
        platform: 'web' as const,
        platform_message_id: `demo-${n}-${i + 1}`,
        direction: m.direction,
        author_kind: m.byStaff ? ('staff' as const) : ('customer' as const),
        author_staff_id: m.byStaff ? replierId : null,
        content_type: 'text',
        text: m.text,
        reply_to_platform_message_id: null,
        sent_at: m.sentAt,
        received_at: m.sentAt,
        edited_at: null,
        deleted_at: null,
        attachment: null,
      })),
    )
    .returning(['id', 'platform_message_id'])
    .execute();
  const byKey = new Map(rows.map((r) => [r.platform_message_id, r.id]));
  return conversation.messages.map((_, i) => byKey.get(`demo-${n}-${i + 1}`) as number);
}

async function insertBursts(
  db: Kysely<Database>,
  random: Random,
  customerId: number,
  stage: string,
  conversation: DemoConversation,
  now: number,
): Promise<number[]> {
  const ids: number[] = [];
  for (const b of conversation.bursts) {
    const read = random.chance(0.5);
    const row = await db
      .insertInto('conversation_bursts')
      .values({
        customer_id: customerId,
        started_at: b.startedAt,
        last_message_at: b.lastMessageAt,
        llm_status: read ? 'done' : 'none',
        llm_due_at: null,
        llm_attempts: read ? 1 : 0,
        llm_error: null,
        intent: read ? (stage === 'won' ? 'delivery' : stage === 'lost' ? 'complaint' : 'quote') : null,
        sentiment: read ? (stage === 'lost' ? 'negative' : 'neutral') : null,
        summary: read ? (SUMMARIES[stage] ?? null) : null,
        // Answered, or long past: the reply-SLA job has nothing to alert about on the first start.
        reply_due_at: null,
        created_at: b.startedAt,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}
