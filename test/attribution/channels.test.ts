import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
  wecomDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { installContactWays } from '../helpers/fake-wecom-contact-way.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const REP = '5400000005';
const OTHER_REP = '5400000006';

type Channel = {
  id: number;
  code: string;
  kind: string;
  link: string | null;
  platformRef: string | null;
  active: boolean;
  staff: { id: number; name: string } | null;
  referrerCustomerId: number | null;
};

describe.each(serverDialectsUnderTest())('channel codes and referrals on $name', (dialect) => {
  let h: Harness;
  let contactWays: ReturnType<typeof installContactWays>;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
    contactWays = installContactWays(h.wecom);
  });
  afterEach(async () => {
    await h.close();
  });

  const post = (body: object) =>
    h.api<Channel & { error?: string; field?: string; errcode?: number }>('/channels', undefined, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  const wecomStaff = async (userId: string) => {
    await wecomDriver(h).ask(userId, '/help');
    return (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('platform', '=', 'wecom')
        .where('external_id', '=', userId)
        .executeTakeFirstOrThrow()
    ).staff_id;
  };
  const codeCount = async () => (await h.db.selectFrom('channel_codes').select('id').execute()).length;

  it('creates WeCom contact-me codes through add_contact_way with the code as state and the staff as users, and deletes them on deactivation', async () => {
    const [zhangsan, lisi] = [await wecomStaff('zhangsan'), await wecomStaff('lisi')];
    const one = await post({
      code: 'rep-zhangsan',
      name: '张三的活码',
      kind: 'rep',
      platform: 'wecom',
      staff: [zhangsan],
    });
    expect(one.status).toBe(201);
    const [first] = contactWays.ways;
    expect(one.body).toMatchObject({
      code: 'rep-zhangsan',
      kind: 'rep',
      link: first?.qrCode,
      platformRef: first?.configId,
      active: true,
      staff: { id: zhangsan },
    });
    const [call] = h.wecom.callsTo('/cgi-bin/externalcontact/add_contact_way');
    expect(call?.body).toMatchObject({ type: 1, scene: 2, state: 'rep-zhangsan', user: ['zhangsan'] });
    expect(call?.secret).toBe(WECOM_ENV.WECOM_CONTACT_SECRET);

    // Several members share one code (type 2); a generated code fits WeCom's 30 characters.
    const shared = await post({
      name: '展会共享码',
      kind: 'event',
      platform: 'wecom',
      staff: [zhangsan, lisi],
    });
    expect(shared.status).toBe(201);
    expect(shared.body.code).toMatch(/^[a-z0-9]{10}$/);
    expect(contactWays.ways[1]).toMatchObject({
      type: 2,
      state: shared.body.code,
      user: ['zhangsan', 'lisi'],
    });

    // A rep's referral code on WeCom is a contact-me code of theirs (an unowned customer is in a rep's scope).
    const referrer = await telegramCustomer(h, '7400000009', '老客户丙');
    const answer = await wecomDriver(h).ask('zhangsan', `/channel 推荐 #${referrer}`);
    const referral = contactWays.ways[2];
    expect(referral).toMatchObject({ type: 1, user: ['zhangsan'] });
    expect(referral?.state).toMatch(new RegExp(`^ref${referrer}-[a-z0-9]{8}$`));
    expect(answer).toContain(referral?.qrCode);

    // Deactivating deletes the WeCom config; doing it again changes nothing.
    const deleted = await h.api<Channel>(`/channels/${one.body.id}`, undefined, { method: 'DELETE' });
    expect(deleted).toMatchObject({ status: 200, body: { active: false } });
    expect(contactWays.ways[0]?.deleted).toBe(true);
    expect((await h.api<Channel>(`/channels/${one.body.id}`, undefined, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/del_contact_way')).toHaveLength(1);
    const audit = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'channel_code')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'channel_code.created',
      'channel_code.created',
      'channel_code.created',
      'channel_code.deactivated',
    ]);
  });

  it('refuses bad codes by field, stores nothing when WeCom refuses (502 with the errcode), and 409s a taken code', async () => {
    const zhangsan = await wecomStaff('zhangsan');
    const base = { name: '活码', kind: 'event', platform: 'wecom', staff: [zhangsan] };
    expect(await post({ ...base, code: 'has space' })).toMatchObject({
      status: 400,
      body: { field: 'code' },
    });
    expect(await post({ ...base, code: 'x'.repeat(31) })).toMatchObject({
      status: 400,
      body: { field: 'code' },
    });
    expect(await post({ ...base, kind: 'referral' })).toMatchObject({
      status: 400,
      body: { field: 'referrerCustomerId' },
    });
    expect(await post({ ...base, staff: undefined })).toMatchObject({
      status: 400,
      body: { field: 'staff' },
    });
    expect(await post({ ...base, platform: 'line' })).toMatchObject({
      status: 400,
      body: { field: 'platform' },
    });
    h.wecom.script('/cgi-bin/externalcontact/add_contact_way', {
      body: { errcode: 41054, errmsg: 'user not in contact-me range' },
    });
    const refused = await post({ ...base, code: 'refused1' });
    expect(refused).toMatchObject({ status: 502, body: { errcode: 41054 } });
    expect(refused.body.error).toContain('41054');
    expect(await codeCount()).toBe(0);
    expect((await post({ ...base, code: 'taken' })).status).toBe(201);
    expect(await post({ ...base, code: 'taken' })).toMatchObject({ status: 409, body: { field: 'code' } });
    expect(await codeCount()).toBe(1);
  });

  it('makes one referral link per customer for a rep who may see them; the referred customer carries the referrer', async () => {
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
    const referrer = await telegramCustomer(h, '7400000001', '老客户甲');
    const stranger = await telegramCustomer(h, '7400000002', '别人的客户');
    await chat.ask(ADMIN, `/assign #${referrer} telegram:${REP}`);
    await chat.ask(ADMIN, `/assign #${stranger} telegram:${OTHER_REP}`);

    const answer = await chat.ask(REP, `/channel 推荐 #${referrer}`);
    const link = /https:\/\/t\.me\/LiaisonCrmBot\?start=(ref[A-Za-z0-9_-]+)/.exec(answer);
    expect(link, answer).not.toBeNull();
    expect(await chat.ask(REP, `/channel referral #${referrer}`, 'en')).toContain(link?.[0]);
    // Out of the rep's scope: as if the customer did not exist, and no code is made.
    expect(await chat.ask(REP, `/channel 推荐 #${stranger}`)).toContain('没有找到');
    expect(await codeCount()).toBe(1);

    await postTelegramPrivate(h, '7400000003', '新客户乙', `/start ${link?.[1]}`);
    const referred = (
      await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('external_id', '=', '7400000003')
          .executeTakeFirst(),
      )
    ).customer_id;
    const d = await waitFor(async () => {
      const r = await h.api<{
        owner: { id: number } | null;
        sources: { first: { kind: string; referrerCustomerId: number } | null };
      }>(`/customers/${referred}`);
      return r.body.sources.first ? r.body : undefined;
    });
    expect(d.sources.first).toMatchObject({ kind: 'referral', referrerCustomerId: referrer });
    // A new customer through a rep's link is that rep's.
    const rep = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('platform', '=', 'telegram')
      .where('external_id', '=', REP)
      .executeTakeFirstOrThrow();
    expect(d.owner?.id).toBe(rep.staff_id);
    const timeline = (
      await h.api<{ timeline: Array<{ type: string; kind?: string; detail?: Record<string, unknown> }> }>(
        `/customers/${referrer}`,
      )
    ).body.timeline;
    expect(timeline).toContainEqual(
      expect.objectContaining({
        kind: 'referred_customer',
        detail: expect.objectContaining({ customerId: referred }),
      }),
    );
    // The rep sees the referral on the new customer's card, and the codes they reach (their customers' referral codes).
    expect(await chat.ask(REP, `/show #${referred}`)).toContain(`推荐人 #${referrer}`);
    expect(await chat.ask(REP, '/channel 渠道')).toContain(link?.[1]);
    expect(await chat.ask(OTHER_REP, '/channel 渠道')).not.toContain(link?.[1]);
  });
});

describe.each(serverDialectsUnderTest())(
  'channel codes on a platform not configured, on $name',
  (dialect) => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness(dialect);
    });
    afterEach(async () => {
      await h.close();
    });

    it('answers 409 naming the platform, and stores nothing', async () => {
      const res = await h.api<{ error: string; field: string }>('/channels', undefined, {
        method: 'POST',
        body: JSON.stringify({ code: 'nowhere', name: '无', kind: 'other', platform: 'wecom', staff: [1] }),
      });
      expect(res).toMatchObject({
        status: 409,
        body: { error: 'wecom is not configured', field: 'platform' },
      });
      expect(await h.db.selectFrom('channel_codes').select('id').execute()).toEqual([]);
      // The routes are documented where they are served.
      const doc = (await (await fetch(`${h.url}/api/docs`)).json()) as { paths: Record<string, object> };
      expect(Object.keys(doc.paths['/api/channels'] ?? {}).sort()).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths['/api/channels/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
    });
  },
);
