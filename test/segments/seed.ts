import type { Insertable, Kysely } from 'kysely';
import type { Database, Platform, Role } from '../../db/schema.ts';
import { seedCampaigns } from './seed-campaigns.ts';

export const DAY = 86_400_000;
/** 2026-06-01 12:00 UTC: every seeded time sits half a day off a whole-day boundary, so seconds of drift never matter. */
export const NOW = Date.UTC(2026, 5, 1, 12);
const ago = (days: number) => NOW - (days + 0.5) * DAY;

/** A small deterministic random source (mulberry32), so every run seeds the same organisation. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}

export const TAGS = ['VIP', '高意向', '复购', '价格敏感', '老客户'] as const;
export const CODES = ['expo-2026', 'rep-qr-1', 'referral-7', 'ads-baidu'] as const;
const STAGES = ['lead', 'interested', 'won', 'repeat', 'lost'] as const;
const TIERS = [null, null, 'key', 'growth', 'dormant'] as const;
const PLATFORMS: Platform[] = ['telegram', 'wecom', 'feishu', 'web'];

export interface SeededStaff {
  id: number;
  role: Role;
  teamId: number | null;
  telegramId: string;
}

export interface Seeded {
  teams: { root: number; east: number; shanghai: number; south: number };
  staff: Record<'director' | 'mgrEast' | 'mgrSouth' | 'rep1' | 'rep2' | 'rep3' | 'rep4', SeededStaff>;
  customerIds: number[];
}

/** Teams 总部 → 华东 → 上海组 and 总部 → 华南, and staff in them with Telegram accounts (ids 56000000xx). */
export async function seedStaff(db: Kysely<Database>): Promise<Pick<Seeded, 'teams' | 'staff'>> {
  const team = async (name: string, parent: number | null) =>
    (
      await db
        .insertInto('teams')
        .values({ name, parent_id: parent, created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const root = await team('总部', null);
  const east = await team('华东', root);
  const shanghai = await team('上海组', east);
  const south = await team('华南', root);
  const person = async (name: string, role: Role, teamId: number | null, n: number) => {
    const telegramId = String(5600000000 + n);
    const { id } = await db
      .insertInto('staff')
      .values({
        display_name: name,
        role,
        team_id: teamId,
        language: 'zh',
        active: 1,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('staff_identities')
      .values({
        staff_id: id,
        platform: 'telegram',
        workspace: '',
        external_id: telegramId,
        display_name: name,
        username: null,
        created_at: NOW,
      })
      .execute();
    return { id, role, teamId, telegramId };
  };
  return {
    teams: { root, east, shanghai, south },
    staff: {
      director: await person('赵总', 'director', root, 1),
      mgrEast: await person('钱经理', 'manager', east, 2),
      mgrSouth: await person('孙经理', 'manager', south, 3),
      rep1: await person('李销售', 'rep', shanghai, 4),
      rep2: await person('周销售', 'rep', shanghai, 5),
      rep3: await person('吴销售', 'rep', east, 6),
      rep4: await person('郑销售', 'rep', south, 7),
    },
  };
}

/** Inserts rows in chunks (bounded statement size), in order. */
export async function insertAll<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) {
    await db
      .insertInto(table)
      // Kysely cannot type an insert into a table chosen at run time; the rows are typed by the caller.
      .values(rows.slice(i, i + 50) as never)
      .execute();
  }
}

/**
 * About 300 customers with varied tags, stages, tiers, owners, identities, sources, deals, contact relations,
 * do-not-contact flags and merges, and three finished campaigns with recipients and the customers' messages.
 */
export async function seedCustomers(db: Kysely<Database>, count = 300, seed = 11): Promise<Seeded> {
  const r = random(seed);
  const { teams, staff } = await seedStaff(db);
  const owners = [null, null, ...Object.values(staff).map((s) => s.id)];
  await insertAll(
    db,
    'tags',
    TAGS.map((name) => ({ name, group_name: null, created_at: NOW })),
  );
  const tagIds = new Map(
    (await db.selectFrom('tags').select(['id', 'name']).execute()).map((t) => [t.name, t.id]),
  );

  await insertAll(
    db,
    'customers',
    Array.from({ length: count }, (_, i) => {
      const contacted = r.chance(0.9) ? ago(r.int(200)) : null;
      return {
        display_name: `客户${i}`,
        company: r.chance(0.5) ? `公司${i % 17}` : null,
        phone: r.chance(0.6) ? `+86138${String(10_000_000 + i * 7919).slice(-8)}` : null,
        email: null,
        owner_staff_id: r.pick(owners),
        stage: r.pick(STAGES),
        language: 'zh',
        source: null,
        do_not_contact: r.chance(0.1) ? 1 : 0,
        merged_into_id: null,
        origin_key: `segment-test:${i}`,
        search_text: `客户${i}`,
        first_contact_at: ago(400),
        last_contact_at: contacted,
        last_inbound_at: contacted,
        last_outbound_at: null,
        created_at: ago(400),
        updated_at: ago(r.int(365)),
        value_tier: r.pick(TIERS),
        sentiment: null,
        summary: null,
      };
    }),
  );
  const customerIds = (
    await db
      .selectFrom('customers')
      .select('id')
      .where('origin_key', 'like', 'segment-test:%')
      .orderBy('id')
      .execute()
  ).map((c) => c.id);
  // A few merged away into the first customer: they never count.
  const merged = customerIds.slice(1).filter(() => r.chance(0.04));
  if (merged.length > 0)
    await db
      .updateTable('customers')
      .set({ merged_into_id: customerIds[0] })
      .where('id', 'in', merged)
      .execute();

  const customerTags: Insertable<Database['customer_tags']>[] = [];
  const identities: Insertable<Database['identities']>[] = [];
  const lostRelations = new Map<string, boolean>();
  const sources: Insertable<Database['customer_sources']>[] = [];
  const deals: Insertable<Database['deals']>[] = [];
  for (const id of customerIds) {
    for (const t of TAGS.filter(() => r.chance(0.3))) {
      customerTags.push({
        customer_id: id,
        tag_id: tagIds.get(t) as number,
        source: 'manual',
        source_ref: null,
        confidence: null,
        message_id: null,
        actor_staff_id: null,
        created_at: NOW,
        mirrored_at: null,
      });
    }
    for (const platform of PLATFORMS.filter(() => r.chance(0.35))) {
      const external_id = `ext-${identities.length}`;
      identities.push({
        customer_id: id,
        platform,
        workspace: 'ws',
        external_id,
        display_name: null,
        username: null,
        phone: null,
        union_id: null,
        profile: null,
        created_at: NOW,
        updated_at: NOW,
      });
      if (platform === 'wecom' && r.chance(0.6)) lostRelations.set(external_id, r.chance(0.5));
    }
    for (const code of CODES.filter(() => r.chance(0.2))) {
      sources.push({
        customer_id: id,
        channel_code_id: null,
        code,
        platform: 'wecom',
        referrer_customer_id: null,
        at: ago(r.int(300)),
        source_key: `seed:${id}:${code}`,
        created_at: NOW,
      });
    }
    for (let d = r.int(3); d > 0; d--) {
      const stage = r.pick(['won', 'won', 'proposal', 'lost'] as const);
      deals.push({
        customer_id: id,
        title: `单${d}`,
        amount_minor: 100_00 * (1 + r.int(50)),
        currency: 'CNY',
        stage,
        probability: stage === 'won' ? 100 : stage === 'lost' ? 0 : 40,
        owner_staff_id: null,
        created_at: ago(400),
        updated_at: NOW,
        closed_at: stage === 'proposal' ? null : ago(r.int(365)),
        request_key: null,
      });
    }
  }
  await insertAll(db, 'customer_tags', customerTags);
  await insertAll(db, 'identities', identities);
  await insertAll(db, 'customer_sources', sources);
  await insertAll(db, 'deals', deals);
  const wecom = await db
    .selectFrom('identities')
    .select(['id', 'customer_id', 'external_id'])
    .where('platform', '=', 'wecom')
    .orderBy('id')
    .execute();
  await insertAll(
    db,
    'contact_relations',
    wecom.flatMap((i) => {
      const lost = lostRelations.get(i.external_id);
      if (lost === undefined) return [];
      return [
        {
          identity_id: i.id,
          customer_id: i.customer_id,
          member_external_id: 'member-1',
          staff_id: null,
          status: lost ? ('lost' as const) : ('active' as const),
          remark: null,
          description: null,
          channel: null,
          added_at: ago(300),
          lost_at: lost ? ago(r.int(365)) : null,
          lost_reason: lost ? 'deleted_by_customer' : null,
          updated_at: NOW,
        },
      ];
    }),
  );
  await seedCampaigns(db, customerIds, r);
  return { teams, staff, customerIds };
}
