import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { type ChatDriver, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { DAY, NOW, type Seeded, seedStaff } from './seed.ts';

/** One customer as an import would write it; `contactedDaysAgo` null: never contacted. */
async function customer(
  db: Kysely<Database>,
  name: string,
  o: { owner: number | null; stage: string; contactedDaysAgo: number; phone?: string; dnc?: boolean },
): Promise<number> {
  const at = NOW - (o.contactedDaysAgo + 0.5) * DAY;
  const row = await db
    .insertInto('customers')
    .values({
      display_name: name,
      company: null,
      phone: o.phone ?? null,
      email: null,
      owner_staff_id: o.owner,
      stage: o.stage,
      language: 'zh',
      source: null,
      do_not_contact: o.dnc ? 1 : 0,
      merged_into_id: null,
      origin_key: `segment-command:${name}`,
      search_text: name,
      first_contact_at: NOW - 400 * DAY,
      last_contact_at: at,
      last_inbound_at: at,
      last_outbound_at: null,
      created_at: NOW - 400 * DAY,
      updated_at: NOW - 400 * DAY,
      value_tier: null,
      sentiment: null,
      summary: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** `/segment 分群` over a real Telegram private chat: counts and samples in the asker's scope, masked for reps. */
describe.each(serverDialectsUnderTest())('/segment in chat ($name)', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  let staff: Seeded['staff'];
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: NOW });
    chat = telegramDriver(h);
    ({ staff } = await seedStaff(h.db));
    const { rep1, rep2, rep4 } = staff;
    ids.wang = await customer(h.db, '王芳', {
      owner: rep1.id,
      stage: 'interested',
      contactedDaysAgo: 90,
      phone: '+8613800001111',
    });
    ids.lost = await customer(h.db, '刘流失', { owner: rep1.id, stage: 'lost', contactedDaysAgo: 100 });
    ids.recent = await customer(h.db, '陈最近', { owner: rep1.id, stage: 'lead', contactedDaysAgo: 5 });
    ids.zhou = await customer(h.db, '周同事', {
      owner: rep2.id,
      stage: 'won',
      contactedDaysAgo: 120,
      phone: '+8613800002222',
    });
    ids.pool = await customer(h.db, '林公海', { owner: null, stage: 'lead', contactedDaysAgo: 70 });
    ids.south = await customer(h.db, '何华南', { owner: rep4.id, stage: 'lead', contactedDaysAgo: 61 });
    ids.dnc = await customer(h.db, '许勿扰', {
      owner: rep1.id,
      stage: 'lead',
      contactedDaysAgo: 80,
      dnc: true,
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('lists the segments with their counts within the asker’s scope', async () => {
    const rep = await chat.ask(staff.rep1.telegramId, '/segment');
    // rep1: 王芳 and the pool's 林公海 (刘流失 is lost, 陈最近 recent, 许勿扰 asked not to be contacted).
    expect(rep).toContain('dormant（沉睡客户）：2 人');
    expect(rep).toContain('win-back（流失挽回）：0 人');
    const manager = await chat.ask(staff.mgrEast.telegramId, '/分群');
    expect(manager).toContain('dormant（沉睡客户）：3 人');
    const director = await chat.ask(staff.director.telegramId, '/segment');
    expect(director).toContain('dormant（沉睡客户）：4 人');
  });

  it('shows a rep the count and a sample with phones masked, by Chinese name, name or #id', async () => {
    const dormant = await h.db
      .selectFrom('segments')
      .select('id')
      .where('name', '=', 'dormant')
      .executeTakeFirstOrThrow();
    for (const ref of ['沉睡客户', 'dormant', `#${dormant.id}`]) {
      const reply = await chat.ask(staff.rep1.telegramId, `/segment ${ref}`);
      expect(reply).toContain('共 2 位客户');
      expect(reply).toContain(`#${ids.wang} 王芳 · 负责人 李销售 · 意向 · +86 138****1111`);
      expect(reply).toContain(`#${ids.pool} 林公海 · 公海 · 潜在`);
      expect(reply).not.toContain('13800001111');
      for (const hidden of ['周同事', '何华南', '刘流失', '陈最近', '许勿扰'])
        expect(reply).not.toContain(hidden);
    }
  });

  it('shows a manager their team’s members with whole phones, and audits that read', async () => {
    const reply = await chat.ask(staff.mgrEast.telegramId, '/segment 沉睡客户');
    expect(reply).toContain('共 3 位客户');
    expect(reply).toContain(`#${ids.zhou} 周同事 · 负责人 周销售 · 成交 · +8613800002222`);
    expect(reply).not.toContain('何华南');
    const audits = await h.db
      .selectFrom('audit_log')
      .select(['actor_staff_id', 'via', 'subject_id'])
      .where('action', '=', 'customer.unmasked_read')
      .execute();
    expect(audits).toContainEqual({
      actor_staff_id: staff.mgrEast.id,
      via: 'telegram',
      subject_id: expect.stringContaining(String(ids.zhou)),
    });
  });

  it('suggests segments for a name that matches none', async () => {
    expect(await chat.ask(staff.rep1.telegramId, '/segment 沉睡')).toContain(
      '没有「沉睡」这个分群。你是不是要找：dormant（沉睡客户）',
    );
    expect(await chat.ask(staff.rep1.telegramId, '/segment dormnat')).toContain(
      '你是不是要找：dormant（沉睡客户）',
    );
    const none = await chat.ask(staff.rep1.telegramId, '/segment 季度大促');
    expect(none).toContain('没有「季度大促」这个分群。现有分群：dormant（沉睡客户）、win-back（流失挽回）');
  });

  it('answers in English to someone who writes in English', async () => {
    const reply = await chat.ask(staff.rep2.telegramId, '/segment dormant', 'en');
    // rep2: 周同事 (own) and 林公海 (the pool).
    expect(reply).toContain('dormant (Dormant customers)');
    expect(reply).toContain('2 customer(s) within what you can see');
    expect(reply).toContain(`#${ids.zhou} 周同事 · owner 周销售 · won · +86 138****2222`);
    expect(await chat.ask(staff.rep2.telegramId, '/segment nothing-like-it', 'en')).toContain(
      'There is no segment "nothing-like-it".',
    );
  });
});
