import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramCustomer, telegramDriver, wecomDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
const DAY = 86_400_000;

/**
 * The whole command set, as staff use it, on two platforms: the same script through Telegram private chats and
 * through WeCom app messages (members), against fake platform APIs. Customers write in through Telegram.
 */
describe.each([
  {
    platform: 'telegram',
    admin: '5123456789',
    rep: '5300000001',
    rep2: '5300000002',
    driver: telegramDriver,
  },
  { platform: 'wecom', admin: 'zhangsan', rep: 'wangwu', rep2: 'zhaoliu', driver: wecomDriver },
])('the command set on $platform', ({ platform, admin, rep, rep2, driver }) => {
  let h: Harness;
  let chat: ChatDriver;
  const ids: Record<string, number> = {};
  const customer = (id: number) =>
    h.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    h = await startHarness(sqlite!, {
      wecom: platform === 'wecom',
      clockAt: FIXTURE_TIME,
      env: { ADMIN_IDS: platform === 'wecom' ? `wecom:${admin}` : `telegram:${admin}` },
    });
    chat = driver(h);
    ids.wangfang = await telegramCustomer(h, '7000000001', '王芳', '你好，想了解价格');
    ids.wangfangfang = await telegramCustomer(h, '7000000002', '王芳芳');
    ids.wangfang2 = await telegramCustomer(h, '7000000004', '王芳');
    ids.lilei = await telegramCustomer(h, '7000000003', 'Li Lei');
  });
  afterAll(async () => {
    await h.close();
  });

  it('lists every command in /help and 帮助', async () => {
    const help = await chat.ask(admin, '/help');
    for (const word of [
      '/find',
      '/show',
      '/mine',
      '/stale',
      '/tag',
      '/untag',
      '/note',
      '/stage',
      '/deal',
      '/assign',
      '/remind',
      '/handover',
      '/digest',
      '/team',
      '/staff',
    ]) {
      expect(help).toContain(word);
    }
    expect(await chat.ask(admin, '帮助')).toContain('查找');
    if (platform === 'telegram') expect(await chat.ask(admin, '/help', 'en')).toMatch(/look a customer up/);
  });

  it('builds the organisation: teams and staff with roles', async () => {
    expect(await chat.ask(admin, '/team add 销售一部')).toContain('销售一部');
    expect(await chat.ask(admin, '/团队 add 广州组 销售一部')).toContain('隶属「销售一部」');
    expect(await chat.ask(admin, '/team add 广州组')).toContain('已存在');
    expect(await chat.ask(admin, `/staff add ${chat.ref(rep)} rep 广州组`)).toContain('销售');
    expect(await chat.ask(admin, `/员工 add ${chat.ref(rep2)} 销售 广州组`)).toContain('广州组');
    const list = await chat.ask(admin, '/staff list');
    expect(list).toContain('广州组');
    const team = await h.db
      .selectFrom('teams')
      .select(['id', 'parent_id'])
      .where('name', '=', '广州组')
      .executeTakeFirstOrThrow();
    expect(team.parent_id).not.toBeNull();
    // A rep can neither add staff nor teams.
    expect(await chat.ask(rep, `/staff add ${chat.ref('someone')} admin`)).toContain('经理及以上');
    expect(await chat.ask(rep, '/team add 黑客组')).toContain('总监和管理员');
  });

  it('assigns a customer, then the rep sees it in /mine', async () => {
    expect(await chat.ask(rep, '/mine')).toContain('还没有');
    expect(await chat.ask(admin, `/assign 王芳芳 ${chat.ref(rep)}`)).toContain('分配给');
    expect((await customer(ids.wangfangfang as number)).owner_staff_id).not.toBeNull();
    const mine = await chat.ask(rep, '/我的客户');
    expect(mine).toContain(`#${ids.wangfangfang} 王芳芳`);
    expect(mine).not.toContain('Li Lei');
  });

  it('tags and untags, with the source and the actor kept', async () => {
    expect(await chat.ask(rep, '/tag 王芳芳 高意向 VIP')).toContain('高意向、VIP');
    expect(await chat.ask(rep, '/标签 王芳芳 高意向')).toContain('已有标签');
    expect(await chat.ask(rep, '/untag 王芳芳 VIP')).toContain('VIP');
    const tags = await h.db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .innerJoin('staff_identities as si', 'si.staff_id', 'customer_tags.actor_staff_id')
      .select(['tags.name', 'customer_tags.source', 'si.external_id'])
      .where('customer_id', '=', ids.wangfangfang as number)
      .execute();
    expect(tags).toEqual([{ name: '高意向', source: 'manual', external_id: rep }]);
  });

  it('records a follow-up, a stage and a deal, each audited with the platform', async () => {
    expect(await chat.ask(rep, '跟进 王芳芳 已发报价单，周五回访')).toContain('已记录');
    expect(await chat.ask(rep, '/stage 王芳芳 意向')).toContain('潜在 → 意向');
    expect(await chat.ask(rep, '/stage 王芳芳 bogus')).toContain('可选');
    expect(await chat.ask(rep, '/deal 王芳芳 5万 proposal 年度套餐')).toContain('50,000');
    expect(await chat.ask(rep, '/商机 王芳芳 6.5万 谈判')).toContain('没有「谈判」');
    expect(await chat.ask(rep, '/商机 王芳芳 6.5万 商务谈判')).toContain('商机已更新');
    const c = await customer(ids.wangfangfang as number);
    expect(c.stage).toBe('interested');
    const deals = await h.db.selectFrom('deals').selectAll().where('customer_id', '=', c.id).execute();
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({
      amount_minor: 6_500_000,
      stage: 'negotiate',
      probability: 70,
      title: '年度套餐',
    });
    const notes = await h.db.selectFrom('notes').select('body').where('customer_id', '=', c.id).execute();
    expect(notes).toEqual([{ body: '已发报价单，周五回访' }]);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'via'])
      .where('subject_id', '=', String(c.id))
      .execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'customer.note_added', via: platform },
        { action: 'customer.stage_changed', via: platform },
        { action: 'deal.saved', via: platform },
        { action: 'customer.tag_added', via: platform },
      ]),
    );
  });

  it('sets a reminder in the organisation time zone and shows everything on the card', async () => {
    // FIXTURE_TIME is Monday 2026-03-02 10:15 in Asia/Shanghai.
    expect(await chat.ask(rep, '/remind 王芳芳 明天10点 回电')).toContain('03-03 10:00');
    const reminder = await h.db.selectFrom('reminders').selectAll().executeTakeFirstOrThrow();
    expect(reminder).toMatchObject({
      due_at: Date.UTC(2026, 2, 3, 2, 0),
      text: '回电',
      customer_id: ids.wangfangfang,
      platform,
    });
    expect(await chat.ask(rep, '/remind 王芳芳 某天 回电')).toContain('看不懂');
    const card = await chat.ask(rep, '/show 王芳芳');
    for (const part of [
      '王芳芳',
      '高意向',
      '意向',
      '年度套餐',
      '65,000',
      '商务谈判',
      '已发报价单',
      '回电',
      '03-03 10:00',
      'telegram',
    ]) {
      expect(card).toContain(part);
    }
  });

  it('finds two-character names, answers ambiguity with choices and near misses with suggestions', async () => {
    const found = await chat.ask(admin, '/find 王芳');
    expect(found).toContain('找到 3 位');
    const ambiguous = await chat.ask(admin, '/show 王芳');
    expect(ambiguous).toContain('匹配多位客户');
    expect(ambiguous).toContain(`#${ids.wangfang} 王芳`);
    expect(ambiguous).toContain(`#${ids.wangfang2} 王芳`);
    expect(await chat.ask(admin, `/show #${ids.wangfang}`)).toContain(`王芳 #${ids.wangfang}`);
    const typo = await chat.ask(admin, '/show 王方芳');
    expect(typo).toContain('没有找到与「王方芳」匹配的客户');
    expect(typo).toContain('你是不是要找');
    expect(typo).toContain('王芳芳');
    expect(await chat.ask(admin, '/find li lei', 'en')).toContain('Li Lei');
  });

  it('lists stale customers after days without contact', async () => {
    expect(await chat.ask(rep, '/stale 7')).toContain('没有超过 7 天');
    h.clock.advance(10 * DAY);
    const stale = await chat.ask(rep, '/未跟进 7');
    expect(stale).toContain(`#${ids.wangfangfang} 王芳芳`);
    expect(stale).toContain('10天前');
  });

  it('hands every customer over with a brief to the successor', async () => {
    expect(await chat.ask(rep, `/handover ${chat.ref(rep)} ${chat.ref(rep2)}`)).toContain('经理及以上');
    const reply = await chat.ask(admin, `/交接 ${chat.ref(rep)} ${chat.ref(rep2)}`);
    expect(reply).toContain('1 位客户');
    const brief = await waitFor(() => chat.sentTo(rep2).find((t) => t.includes('交接简报')));
    expect(brief).toContain(`#${ids.wangfangfang} 王芳芳`);
    expect(brief).toContain('已发报价单');
    const owner = await h.db
      .selectFrom('customers')
      .innerJoin('staff_identities as si', 'si.staff_id', 'customers.owner_staff_id')
      .select('si.external_id')
      .where('customers.id', '=', ids.wangfangfang as number)
      .executeTakeFirstOrThrow();
    expect(owner.external_id).toBe(rep2);
  });

  it('points plain language at the right command when no LLM is configured', async () => {
    expect(await chat.ask(rep, '帮我给王芳加个提醒')).toContain('/remind');
    expect(await chat.ask(rep, '/nonsense')).toContain('未知命令');
  });
});
