import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { ensureTag } from '../../core/records/tags/tags.ts';
import type { SeededCustomer } from './customers.ts';
import type { SeededStaff } from './org.ts';
import type { Random } from './random.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MANUAL_TAGS = ['VIP', '老客户', '重点跟进', '经销商', '价格敏感', '需要发票'];
const NOTES = [
  '电话沟通，客户对价格比较敏感，下周再跟进',
  '已发送产品目录和报价单',
  '客户要求月底前给样品',
  '拜访了客户工厂，采购负责人是陈经理',
  '客户反馈上一批货包装有破损，已登记售后',
  '老板亲自拍板，预计本月签约',
];
const DEAL_TITLES = ['年度采购', '首批订单', '样品试单', '门店铺货', '追加订单', '定制项目'];
const REMINDERS = ['回访客户，确认报价', '跟进合同盖章进度', '提醒客户付款', '寄样品', '约客户下周见面'];
const PREVIOUS_STAGE: Record<string, string> = {
  interested: 'lead',
  won: 'interested',
  repeat: 'won',
  lost: 'interested',
};

/**
 * What sales records about the demo customers: tags by the model and by people (beside the rules'), open and
 * closed deals by stage, follow-up notes, this week's stage moves and hot-lead alerts, and reminders due soon.
 */
export async function seedCrm(
  db: Kysely<Database>,
  random: Random,
  customers: SeededCustomer[],
  staff: SeededStaff[],
  now: number,
): Promise<void> {
  for (const c of customers) {
    const lastInbound = c.conversation.messages.findLastIndex((m) => m.direction === 'in');
    if (['interested', 'won', 'repeat'].includes(c.stage) && random.chance(0.45)) {
      await tagCustomer(db, c.id, '购买意向', now, {
        source: 'llm',
        source_ref: 'gpt-4o-mini',
        confidence: Math.round((0.7 + random.next() * 0.25) * 100) / 100,
        message_id: c.messageIds[lastInbound] ?? null,
      });
    }
    if (c.ownerId !== null && random.chance(0.35)) {
      for (const name of new Set([random.pick(MANUAL_TAGS), random.pick(MANUAL_TAGS)]))
        await tagCustomer(db, c.id, name, now, { source: 'manual', actor_staff_id: c.ownerId });
    }
    await seedDeal(db, random, c, now);
    if (c.ownerId !== null && random.chance(0.4)) {
      await db
        .insertInto('notes')
        .values({
          customer_id: c.id,
          author_staff_id: c.ownerId,
          body: random.pick(NOTES),
          created_at: c.conversation.messages.at(-1)?.sentAt ?? now - DAY,
          request_key: null,
        })
        .execute();
    }
    const lastAt = c.conversation.messages.at(-1)?.sentAt ?? 0;
    const previous = PREVIOUS_STAGE[c.stage];
    if (previous && lastAt > now - 7 * DAY && random.chance(0.5)) {
      await db
        .insertInto('customer_events')
        .values({
          customer_id: c.id,
          event_key: `demo:stage:${c.id}`,
          at: lastAt,
          kind: 'stage_changed',
          platform: 'web',
          actor_staff_id: c.ownerId,
          detail: JSON.stringify({ from: previous, to: c.stage }),
        })
        .execute();
    }
    const burst = c.burstIds.at(-1);
    if (c.stage === 'interested' && burst !== undefined && lastAt > now - 2 * DAY && random.chance(0.5)) {
      await db
        .insertInto('alerts')
        .values({
          customer_id: c.id,
          cause: 'high_intent',
          burst_id: burst,
          staff_id: c.ownerId,
          message_id: c.messageIds[lastInbound] ?? null,
          source: 'purchase.zh',
          created_at: lastAt,
        })
        .execute();
    }
  }
  await seedReminders(db, random, customers, staff, now);
}

async function seedDeal(db: Kysely<Database>, random: Random, c: SeededCustomer, now: number): Promise<void> {
  const open = c.stage === 'interested' && random.chance(0.6);
  const won = (c.stage === 'won' || c.stage === 'repeat') && random.chance(0.85);
  const lost = c.stage === 'lost' && random.chance(0.4);
  if (!open && !won && !lost) return;
  const stage = open
    ? random.weighted([
        ['qualify', 3],
        ['proposal', 4],
        ['negotiate', 3],
      ] as const)
    : won
      ? 'won'
      : 'lost';
  const probability = { qualify: 10, proposal: 40, negotiate: 70, won: 100, lost: 0 }[stage];
  const created = c.conversation.firstContactAt + random.int(1, 72) * HOUR;
  await db
    .insertInto('deals')
    .values({
      customer_id: c.id,
      title: random.pick(DEAL_TITLES),
      amount_minor: random.int(5, 500) * 1000 * 100,
      currency: 'CNY',
      stage,
      probability,
      owner_staff_id: c.ownerId,
      created_at: Math.min(created, now),
      updated_at: now,
      closed_at: open ? null : (c.conversation.messages.at(-1)?.sentAt ?? now),
      request_key: null,
    })
    .execute();
}

/** A few reminders for reps, due over the next days, on the web channel (where the playground shows them). */
async function seedReminders(
  db: Kysely<Database>,
  random: Random,
  customers: SeededCustomer[],
  staff: SeededStaff[],
  now: number,
): Promise<void> {
  const reps = staff.filter((s) => s.role === 'rep');
  for (const [i, rep] of reps.entries()) {
    const theirs = customers.filter((c) => c.ownerId === rep.id);
    const customer = theirs.length > 0 ? random.pick(theirs) : undefined;
    await db
      .insertInto('reminders')
      .values({
        customer_id: customer?.id ?? null,
        staff_id: rep.id,
        due_at: now + (i % 4) * DAY + random.int(2, 8) * HOUR,
        text: random.pick(REMINDERS),
        status: 'pending',
        created_at: now,
        delivered_at: null,
        request_key: `demo:reminder:${rep.webId}`,
        platform: 'web',
      })
      .execute();
  }
}

/** Adds a tag (creating it by name once) with its source, as the tagger, the model or a person records it. */
export async function tagCustomer(
  db: Kysely<Database>,
  customerId: number,
  name: string,
  now: number,
  how: {
    source: 'rule' | 'llm' | 'manual';
    source_ref?: string | null;
    confidence?: number | null;
    message_id?: number | null;
    actor_staff_id?: number | null;
  },
): Promise<void> {
  const tagId = await ensureTag(db, name, now);
  await db
    .insertInto('customer_tags')
    .values({
      customer_id: customerId,
      tag_id: tagId,
      source: how.source,
      source_ref: how.source_ref ?? null,
      confidence: how.confidence ?? null,
      message_id: how.message_id ?? null,
      actor_staff_id: how.actor_staff_id ?? null,
      created_at: now,
      mirrored_at: null,
    })
    .onConflict((oc) => oc.columns(['customer_id', 'tag_id']).doNothing())
    .execute();
}
