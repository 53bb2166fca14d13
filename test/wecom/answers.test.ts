import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const WANGFANG = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';
const STRANGER = 'wmEAlECwAAStrangerNeverSeen00AA';

type Contact = { follow_user: Array<Record<string, unknown>> };

describe.each(serverDialectsUnderTest())('WeCom API answers read by schema on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const rows = () =>
    h.db.selectFrom('inbox').select(['status', 'attempts', 'last_error']).orderBy('id').execute();
  const settled = (count: number) =>
    waitFor(async () => {
      const all = await rows();
      return all.length === count && all.every((r) => r.status === 'done' || r.status === 'failed') && all;
    }, 8_000);
  const contactWith = (follower: Record<string, unknown>) => {
    const contact = structuredClone(h.wecom.contacts.get(WANGFANG)) as Contact;
    contact.follow_user[0] = { ...contact.follow_user[0], ...follower };
    h.wecom.contacts.set(WANGFANG, contact);
  };
  const customer = () =>
    h.db
      .selectFrom('customers')
      .innerJoin('identities', 'identities.customer_id', 'customers.id')
      .select(['customers.id', 'customers.phone', 'customers.display_name'])
      .where('identities.external_id', '=', WANGFANG)
      .executeTakeFirst();
  const added = () => wecomXml('event-add-external-contact.xml');
  const edited = () => wecomXml('event-edit-external-contact.xml');

  it('takes in phones WeCom sends as numbers, on add and on edit, and finds the customer by them', async () => {
    contactWith({ remark_mobiles: [] });
    await postWecom(h, added());
    await settled(1);
    expect((await customer())?.phone).toBeNull();
    // The edit that made events fail (`raw.replace is not a function`) and store nothing.
    contactWith({ remark_mobiles: [13900005678, '13900001234'] });
    await postWecom(h, edited());
    const all = await settled(2);
    expect(all.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ['done', 1, null],
      ['done', 1, null],
    ]);
    expect((await customer())?.phone).toBe('13900005678');
    const { body } = await h.api<{ items: Array<{ name: string }> }>('/customers?q=13900005678');
    expect(body.items.map((i) => i.name)).toEqual(['王芳']);
  });

  it('gives an add up at once when an answer field has a type WeCom does not send, naming the field at error level', async () => {
    contactWith({ remark: 42, remark_mobiles: ['13900001234'] });
    await postWecom(h, added());
    const [row] = await settled(1);
    const reason =
      '/cgi-bin/externalcontact/get answered in an unexpected shape: follow_user[0].remark: expected string, received number';
    expect(row).toEqual({ status: 'failed', attempts: 1, last_error: reason });
    // Not retried: the same answer would come again.
    await new Promise((r) => setTimeout(r, 400));
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/get')).toHaveLength(1);
    expect(await customer()).toBeUndefined();
    const errors = h.logs.filter((l) => l.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'delivery refused',
        fields: expect.objectContaining({ platform: 'wecom', error: reason }),
      }),
    ]);
    // The reason names fields only: nothing the answer said reaches the logs.
    const logged = JSON.stringify(h.logs);
    for (const value of ['王芳', '13900001234', '云栖贸易', 'expo2026']) expect(logged).not.toContain(value);
  });

  it('refuses a group answer whose member list is not a list, and a 微信客服 page whose has_more is text', async () => {
    h.wecom.groups.set('wrGroupChat0001', { chat_id: 'wrGroupChat0001', name: '客户群', member_list: 7 });
    let xml = wecomXml('event-change-external-chat.xml');
    xml = withField(xml, 'ChatId', 'wrGroupChat0001');
    await postWecom(h, xml);
    const page = FakeWecom.kfSyncFixture();
    h.wecom.kfPages.push({ ...page, has_more: '1' });
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    const all = await settled(2);
    expect(all.map((r) => [r.status, r.attempts, r.last_error]).sort()).toEqual([
      [
        'failed',
        1,
        '/cgi-bin/externalcontact/groupchat/get answered in an unexpected shape: group_chat.member_list: expected array, received number',
      ],
      [
        'failed',
        1,
        '/cgi-bin/kf/sync_msg answered in an unexpected shape: has_more: expected integer, received string',
      ],
    ]);
    expect(h.logs.filter((l) => l.level === 'error')).toHaveLength(2);
    expect(await h.db.selectFrom('messages').selectAll().execute()).toEqual([]);
  });

  it('fails a handover at once when transfer_customer answers an errcode as text, naming the field', async () => {
    await postWecom(h, added());
    await settled(1);
    let xml = withField(wecomXml('msg-text-member.xml'), 'FromUserName', 'lisi');
    xml = withField(xml, 'MsgId', '7477281932010385998');
    await postWecom(h, xml);
    const staff = await waitFor(async () => {
      const { body } = await h.api<{
        items: Array<{ id: number; identities: Array<{ externalId: string }> }>;
      }>('/staff');
      const by = (id: string) => body.items.find((x) => x.identities.some((i) => i.externalId === id))?.id;
      return by('lisi') && by('zhangsan') ? { from: by('zhangsan'), to: by('lisi') } : undefined;
    });
    const path = '/cgi-bin/externalcontact/transfer_customer';
    h.wecom.script(path, {
      body: { errcode: 0, errmsg: 'ok', customer: [{ external_userid: WANGFANG, errcode: '0' }] },
    });
    const res = await h.api('/handover', undefined, { method: 'POST', body: JSON.stringify(staff) });
    expect(res.status).toBe(200);
    const row = await waitFor(async () => {
      const all = await h.db
        .selectFrom('outbox')
        .select(['content', 'status', 'attempts', 'last_error'])
        .execute();
      return all.find((r) => r.content.includes('transfer_customers') && r.status === 'failed');
    }, 8_000);
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain(
      `${path} answered in an unexpected shape: customer[0].errcode: expected integer, received string`,
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(h.wecom.callsTo(path)).toHaveLength(1);
  });

  it('makes no customer of a deletion for a contact Liaison never saw, and still notes one it knows', async () => {
    const gone = (change: string, id: string) =>
      withField(withField(wecomXml('event-del-follow-user.xml'), 'ChangeType', change), 'ExternalUserID', id);
    await postWecom(h, gone('del_follow_user', STRANGER));
    await postWecom(h, gone('del_external_contact', STRANGER));
    await settled(2);
    expect(await h.db.selectFrom('customers').selectAll().execute()).toEqual([]);
    expect(await h.db.selectFrom('identities').selectAll().execute()).toEqual([]);
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/get')).toEqual([]);
    // A known contact's deletion is still on their record.
    await postWecom(h, added());
    await settled(3);
    await postWecom(h, gone('del_external_contact', WANGFANG));
    await settled(4);
    const known = await customer();
    const { body } = await h.api<{ timeline: Array<{ kind?: string }> }>(`/customers/${known?.id}`);
    expect(body.timeline.map((t) => t.kind)).toEqual(['contact_added', 'contact_lost']);
    expect(await h.db.selectFrom('customers').selectAll().execute()).toHaveLength(1);
  });
});
