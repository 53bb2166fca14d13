import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeMassSend } from '../helpers/fake-wecom-mass-send.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';
import { campaignOf, newCampaign, newSegment, post, recipients, settle, untilStatus } from './setup.ts';

const WANGFANG = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';
const A2 = 'wmCampaignTestCustomerA2xxxxxxxx';
const A3 = 'wmCampaignTestCustomerA3xxxxxxxx';
const B1 = 'wmCampaignTestCustomerB1xxxxxxxx';
const MIN = 60_000;
const TEXT = '618 年中大促，老客户专属优惠';
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe.each(serverDialectsUnderTest())('a campaign to WeCom external contacts on $name', (dialect) => {
  let h: Harness;
  let mass: FakeMassSend;
  let createTime = 1772417800;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
    mass = new FakeMassSend(h.wecom);
    mass.pageSize = 1;
  });
  afterEach(async () => {
    await h.close();
  });

  /** A member adds a customer in WeCom: the real encrypted add_external_contact callback, profile from the fake. */
  async function addContact(externalId: string, member: string, name: string): Promise<number> {
    if (externalId !== WANGFANG) {
      const profile = structuredClone(h.wecom.contacts.get(WANGFANG)) as {
        external_contact: Record<string, unknown>;
        follow_user: Array<Record<string, unknown>>;
      };
      profile.external_contact = { external_userid: externalId, name, type: 1 };
      profile.follow_user = [
        { ...profile.follow_user[0], userid: member, remark: name, remark_mobiles: [], tags: [], state: '' },
      ];
      h.wecom.contacts.set(externalId, profile);
    }
    let xml = wecomXml('event-add-external-contact.xml');
    xml = withField(withField(xml, 'UserID', member), 'ExternalUserID', externalId);
    xml = xml.replace(/<CreateTime>\d+<\/CreateTime>/, `<CreateTime>${createTime++}</CreateTime>`);
    expect((await postWecom(h, xml)).status).toBe(200);
    const row = await waitFor(
      () =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('platform', '=', 'wecom')
          .where('external_id', '=', externalId)
          .executeTakeFirst(),
      10_000,
    );
    return row.customer_id;
  }

  it('creates one add_msg_template task per owner, follows confirmation and results, and expires the unconfirmed one', async () => {
    const wang = await addContact(WANGFANG, 'zhangsan', '王芳');
    const a2 = await addContact(A2, 'zhangsan', '客户A2');
    const a3 = await addContact(A3, 'zhangsan', '客户A3');
    const b1 = await addContact(B1, 'lisi', '客户B1');
    // A3 deleted zhangsan meanwhile: WeCom refuses them at task creation (fail_list).
    const a3Profile = h.wecom.contacts.get(A3) as { follow_user: unknown[] };
    h.wecom.contacts.set(A3, { ...a3Profile, follow_user: [] });

    const segment = await newSegment(h, 'wecom-contacts', { platforms: ['wecom'] });
    const campaign = await newCampaign(h, {
      name: '年中大促',
      segment,
      text: TEXT,
      link: { title: '大促会场', url: 'https://example.com/618' },
    });
    const preview = await post<{ reachable: { byRoute: Record<string, number> }; wecomSenders: unknown[] }>(
      h,
      `/campaigns/${campaign.id}/preview`,
    );
    expect(preview.body.reachable.byRoute).toEqual({ chat: 0, wecom_template: 4 });
    expect(preview.body.wecomSenders).toEqual(
      expect.arrayContaining([
        { sender: 'zhangsan', customers: 3 },
        { sender: 'lisi', customers: 1 },
      ]),
    );
    expect((await post(h, `/campaigns/${campaign.id}/schedule`, {})).status).toBe(200);

    const created = await untilStatus(
      h,
      campaign.id,
      'running',
      (c) => c.massSends.length === 2 && c.massSends.every((m) => m.status === 'created'),
    );
    const calls = h.wecom.callsTo('/cgi-bin/externalcontact/add_msg_template');
    expect(calls).toHaveLength(2);
    const bySender = new Map(calls.map((c) => [(c.body as { sender: string }).sender, c]));
    for (const [sender, customers] of [
      ['zhangsan', [WANGFANG, A2, A3]],
      ['lisi', [B1]],
    ] as const) {
      const call = bySender.get(sender);
      expect(call?.secret).toBe(WECOM_ENV.WECOM_CONTACT_SECRET);
      const body = call?.body as { external_userid: string[] };
      expect({ ...body, external_userid: [...body.external_userid].sort() }).toEqual({
        chat_type: 'single',
        sender,
        external_userid: [...customers].sort(),
        text: { content: TEXT },
        attachments: [{ msgtype: 'link', link: { title: '大促会场', url: 'https://example.com/618' } }],
      });
    }
    expect(created.massSends.find((m) => m.sender === 'zhangsan')).toMatchObject({ customers: 3, failed: 1 });
    expect((await recipients(h, campaign.id)).get(a3)).toMatchObject({
      status: 'failed',
      reason: 'not_contact',
    });

    // zhangsan sends the task; A2 has had their four company messages this month.
    mass.confirm('zhangsan', { [A2]: 3 }, Math.floor(h.clock.now() / 1000) + 60);
    h.clock.advance(31 * MIN);
    const checked = await untilStatus(h, campaign.id, 'running', (c) =>
      c.massSends.some((m) => m.sender === 'zhangsan' && m.status === 'finished'),
    );
    const zhang = checked.massSends.find((m) => m.sender === 'zhangsan');
    expect(zhang?.confirmedAt).not.toBeNull();
    expect(checked.massSends.find((m) => m.sender === 'lisi')).toMatchObject({
      status: 'created',
      confirmedAt: null,
    });
    let r = await recipients(h, campaign.id);
    expect(r.get(wang)).toMatchObject({ status: 'delivered', route: 'wecom_template' });
    expect(r.get(a2)).toMatchObject({ status: 'failed', reason: 'monthly_limit' });
    expect(r.get(b1)).toMatchObject({ status: 'queued' });
    // The results were read page by page (one customer per page here).
    expect(
      h.wecom.callsTo('/cgi-bin/externalcontact/get_groupmsg_send_result').length,
    ).toBeGreaterThanOrEqual(2);

    // lisi never sends it: three days after creation Liaison stops checking.
    h.clock.advance(3 * 24 * 60 * MIN);
    const done = await untilStatus(h, campaign.id, 'done');
    expect(done.massSends.find((m) => m.sender === 'lisi')?.status).toBe('expired');
    r = await recipients(h, campaign.id);
    expect(r.get(b1)).toMatchObject({ status: 'failed', reason: 'not_confirmed' });
    expect(done.recipients.byStatus).toEqual({ delivered: 1, failed: 3 });
    const lisiMsgid = mass.tasksOf('lisi')[0]?.msgid;
    const checks = () =>
      h.wecom
        .callsTo('/cgi-bin/externalcontact/get_groupmsg_task')
        .filter((c) => (c.body as { msgid: string }).msgid === lisiMsgid).length;
    await settle(); // a check in flight at the expiry still finishes
    const before = checks();
    h.clock.advance(2 * 60 * MIN);
    await settle(600);
    expect(checks()).toBe(before);
    expect((await campaignOf(h, campaign.id)).status).toBe('done');
  });

  it('uploads a campaign picture with the customer-contact secret and attaches its media_id', async () => {
    await addContact(WANGFANG, 'zhangsan', '王芳');
    const segment = await newSegment(h, 'wecom-contacts', { platforms: ['wecom'] });
    const campaign = await newCampaign(h, { name: '新品图', segment, text: TEXT, image: PNG });
    await post(h, `/campaigns/${campaign.id}/schedule`);
    await untilStatus(h, campaign.id, 'running', (c) => c.massSends[0]?.status === 'created');
    const [upload] = h.wecom.callsTo('/cgi-bin/media/upload');
    expect(upload?.secret).toBe(WECOM_ENV.WECOM_CONTACT_SECRET);
    const mediaId = [...h.wecom.media.keys()][0];
    const [call] = h.wecom.callsTo('/cgi-bin/externalcontact/add_msg_template');
    expect(call?.body).toMatchObject({
      sender: 'zhangsan',
      external_userid: [WANGFANG],
      attachments: [{ msgtype: 'image', image: { media_id: mediaId } }],
    });
  });
});
