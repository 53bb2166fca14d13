import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const REP = '5400000005';
const OTHER_REP = '5400000006';

type Channel = { id: number; code: string; referrerCustomerId: number | null };

describe.each(serverDialectsUnderTest())('channel codes through a rep’s API token on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { env: { API_TOKEN_STAFF: `telegram:${REP}` } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('reads codes within the rep’s scope (others’ referral codes do not exist) and writes none', async () => {
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
    const mine = await telegramCustomer(h, '7500000001', '我的老客户');
    const theirs = await telegramCustomer(h, '7500000002', '别人的老客户');
    await chat.ask(ADMIN, `/assign #${mine} telegram:${REP}`);
    await chat.ask(ADMIN, `/assign #${theirs} telegram:${OTHER_REP}`);
    expect(await chat.ask(REP, `/channel 推荐 #${mine}`)).toContain('https://t.me/LiaisonCrmBot?start=ref');
    expect(await chat.ask(OTHER_REP, `/channel 推荐 #${theirs}`)).toContain(
      'https://t.me/LiaisonCrmBot?start=ref',
    );

    const listed = await h.api<{ items: Channel[] }>('/channels');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c) => c.referrerCustomerId)).toEqual([mine]);
    const hidden = await h.db
      .selectFrom('channel_codes')
      .select('id')
      .where('referrer_customer_id', '=', theirs)
      .executeTakeFirstOrThrow();
    expect((await h.api(`/channels/${hidden.id}`)).status).toBe(404);
    expect((await h.api(`/channels/${hidden.id}`, undefined, { method: 'DELETE' })).status).toBe(404);

    const created = await h.api('/channels', undefined, {
      method: 'POST',
      body: JSON.stringify({ name: '我的活码', kind: 'rep', platform: 'telegram' }),
    });
    expect(created.status).toBe(403);
    const own = listed.body.items[0] as Channel;
    expect((await h.api(`/channels/${own.id}`, undefined, { method: 'DELETE' })).status).toBe(403);
    expect(
      await h.db.selectFrom('channel_codes').select('id').where('active', '=', 1).execute(),
    ).toHaveLength(2);
  });
});
