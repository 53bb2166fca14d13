import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

const ADMIN = '5123456789';
/** A sales org: 销售一部 (广州组, 深圳组 under it) and 销售二部, with a director over all. */
const STAFF = {
  director: { id: '5400000001', role: 'director', team: '' },
  deptManager: { id: '5400000002', role: 'manager', team: '销售一部' },
  gzManager: { id: '5400000003', role: 'manager', team: '广州组' },
  szManager: { id: '5400000004', role: 'manager', team: '深圳组' },
  gzRep: { id: '5400000005', role: 'rep', team: '广州组' },
  gzRep2: { id: '5400000006', role: 'rep', team: '广州组' },
  szRep: { id: '5400000007', role: 'rep', team: '深圳组' },
  dept2Rep: { id: '5400000008', role: 'rep', team: '销售二部' },
} as const;
type Who = keyof typeof STAFF | 'admin';

/** Customer → owner. */
const CUSTOMERS = {
  ownGz: 'gzRep',
  teammateGz: 'gzRep2',
  siblingSz: 'szRep',
  otherDept: 'dept2Rep',
} as const;
type Whose = keyof typeof CUSTOMERS;

/** Who may see which customer: rep = own; manager = team and sub-teams; director and admin = all. */
const SEES: Record<Who, Whose[]> = {
  admin: ['ownGz', 'teammateGz', 'siblingSz', 'otherDept'],
  director: ['ownGz', 'teammateGz', 'siblingSz', 'otherDept'],
  deptManager: ['ownGz', 'teammateGz', 'siblingSz'],
  gzManager: ['ownGz', 'teammateGz'],
  szManager: ['siblingSz'],
  gzRep: ['ownGz'],
  gzRep2: ['teammateGz'],
  szRep: ['siblingSz'],
  dept2Rep: ['otherDept'],
};

describe.each(serverDialectsUnderTest())('data scopes on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  const customerIds = {} as Record<Whose, number>;
  const userOf = (who: Who) => (who === 'admin' ? ADMIN : STAFF[who].id);

  beforeAll(async () => {
    h = await startHarness(dialect);
    chat = telegramDriver(h);
    for (const t of [
      '/team add 销售一部',
      '/team add 广州组 销售一部',
      '/team add 深圳组 销售一部',
      '/team add 销售二部',
    ]) {
      await chat.ask(ADMIN, t);
    }
    for (const s of Object.values(STAFF))
      await chat.ask(ADMIN, `/staff add telegram:${s.id} ${s.role} ${s.team}`.trim());
    let n = 0;
    for (const [whose, owner] of Object.entries(CUSTOMERS) as Array<[Whose, keyof typeof STAFF]>) {
      const id = await telegramCustomer(h, String(7100000000 + n++), `客户${whose}`);
      customerIds[whose] = id;
      expect(await chat.ask(ADMIN, `/assign #${id} telegram:${STAFF[owner].id}`)).toContain('分配给');
    }
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('shows each viewer exactly the customers of their scope, and the rest as if they did not exist', async () => {
    const leaks: string[] = [];
    for (const who of Object.keys(SEES) as Who[]) {
      const nobody = await chat.ask(userOf(who), '/show #99999999');
      for (const whose of Object.keys(CUSTOMERS) as Whose[]) {
        const id = customerIds[whose];
        const reply = await chat.ask(userOf(who), `/show #${id}`);
        const sees = SEES[who].includes(whose);
        if (sees && !reply.includes(`客户${whose} #${id}`)) leaks.push(`${who} cannot see ${whose}`);
        if (!sees && reply !== nobody.replace('#99999999', `#${id}`))
          leaks.push(`${who} sees ${whose}: ${reply}`);
      }
      const found = await chat.ask(userOf(who), '/find 客户');
      for (const whose of Object.keys(CUSTOMERS) as Whose[]) {
        if (found.includes(`客户${whose}`) !== SEES[who].includes(whose)) leaks.push(`${who} /find ${whose}`);
      }
    }
    expect(leaks).toEqual([]);
  }, 60_000);

  it('refuses writes outside the scope without changing anything', async () => {
    for (const who of ['gzRep', 'gzManager', 'szManager', 'dept2Rep'] as Who[]) {
      for (const whose of Object.keys(CUSTOMERS) as Whose[]) {
        if (SEES[who].includes(whose)) continue;
        const id = customerIds[whose];
        expect(await chat.ask(userOf(who), `/tag #${id} 越权`)).toContain('没有找到');
        expect(await chat.ask(userOf(who), `/note #${id} 越权`)).toContain('没有找到');
        expect(await chat.ask(userOf(who), `/stage #${id} 成交`)).toContain('没有找到');
      }
    }
    const tagged = await h.db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select('customer_tags.customer_id')
      .where('tags.name', '=', '越权')
      .execute();
    expect(tagged).toEqual([]);
    expect(await h.db.selectFrom('notes').selectAll().execute()).toEqual([]);
    expect(await h.db.selectFrom('customers').select('stage').where('stage', '=', 'won').execute()).toEqual(
      [],
    );
  }, 60_000);

  it('lets managers assign only within their subtree, and reps only to themselves', async () => {
    const own = customerIds.ownGz;
    expect(await chat.ask(STAFF.gzManager.id, `/assign #${own} telegram:${STAFF.szRep.id}`)).toContain(
      '不能',
    );
    expect(await chat.ask(STAFF.gzRep.id, `/assign #${own} telegram:${STAFF.gzRep2.id}`)).toContain('不能');
    expect(await chat.ask(STAFF.deptManager.id, `/assign #${own} telegram:${STAFF.szRep.id}`)).toContain(
      '分配给',
    );
    expect(await chat.ask(STAFF.gzRep.id, `/show #${own}`)).toContain('没有找到');
    expect(await chat.ask(STAFF.szRep.id, `/show #${own}`)).toContain(`#${own}`);
    // A manager of a sibling team may not hand over between teams they do not manage.
    expect(
      await chat.ask(STAFF.szManager.id, `/handover telegram:${STAFF.gzRep2.id} telegram:${STAFF.szRep.id}`),
    ).toContain('只能在你管理的员工之间');
    // Nor grant roles above their own, nor add staff outside their subtree.
    expect(await chat.ask(STAFF.gzManager.id, '/staff add telegram:5999 director')).toContain('不能');
    expect(await chat.ask(STAFF.gzManager.id, '/staff add telegram:5999 rep 深圳组')).toContain('不能');
    expect(await chat.ask(STAFF.gzManager.id, '/staff add telegram:5999 rep')).toContain('现在是销售');
    const list = await chat.ask(STAFF.gzManager.id, '/staff list');
    expect(list).not.toContain('深圳组');
  }, 60_000);
});
