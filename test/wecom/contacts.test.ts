import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const WANGFANG = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';

interface Detail {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  source: string | null;
  owner: { id: number; name: string } | null;
  tags: Array<{ name: string; source: string; sourceRef: string | null }>;
  relations: Array<{ member: string; status: string; remark: string | null; lostReason: string | null }>;
  timeline: Array<{ type: string; kind?: string; detail?: Record<string, unknown> | null; text?: string }>;
}

describe.each(serverDialectsUnderTest())('WeCom customer contact on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const detailOf = async (externalId = WANGFANG) => {
    const identity = await h.db
      .selectFrom('identities')
      .select('customer_id')
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return identity ? (await h.api<Detail>(`/customers/${identity.customer_id}`)).body : undefined;
  };
  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
  const addWangFang = async () => {
    const req = wecomRequest('post-event-add-external-contact.json');
    expect(
      (await fetch(`${h.url}/webhooks/wecom?${req.rawQuery}`, { method: 'POST', body: req.body })).status,
    ).toBe(200);
    await settled();
    return waitFor(() => detailOf());
  };

  it('creates the customer of add_external_contact from externalcontact/get, owned by the member who added them', async () => {
    const d = await addWangFang();
    expect(d).toMatchObject({
      name: '王芳',
      company: '杭州云栖贸易有限公司',
      phone: '13900001234',
      source: 'wecom:expo2026',
      owner: { name: 'zhangsan' },
    });
    expect(d.tags.map((t) => [t.name, t.source, t.sourceRef]).sort()).toEqual([
      ['展会', 'manual', 'wecom'],
      ['重点客户', 'manual', 'wecom'],
    ]);
    expect(d.relations).toEqual([
      expect.objectContaining({ member: 'zhangsan', status: 'active', remark: '王芳-云栖贸易' }),
    ]);
    expect(d.timeline).toEqual([
      expect.objectContaining({
        type: 'event',
        kind: 'contact_added',
        detail: { member: 'zhangsan', channel: 'expo2026' },
      }),
    ]);
    const [get] = h.wecom.callsTo('/cgi-bin/externalcontact/get');
    expect(get?.query.external_userid).toBe(WANGFANG);
    expect(get?.secret).toBe(WECOM_ENV.WECOM_CONTACT_SECRET);
    // The remark a rep typed in WeCom finds the customer too.
    const { body } = await h.api<{ items: Array<{ name: string }> }>(
      `/customers?q=${encodeURIComponent('云栖贸易')}`,
    );
    expect(body.items.map((i) => i.name)).toEqual(['王芳']);
  });

  it('updates the customer on edit_external_contact, taking in tags added and removed in WeCom', async () => {
    await addWangFang();
    const contact = structuredClone(h.wecom.contacts.get(WANGFANG)) as {
      follow_user: Array<{
        remark: string;
        tags: Array<{ group_name: string; tag_name: string; tag_id: string; type: number }>;
      }>;
    };
    const follower = contact.follow_user[0] as (typeof contact.follow_user)[0];
    follower.remark = '王芳-云栖贸易-采购经理';
    follower.tags = [
      { group_name: '客户等级', tag_name: '重点客户', tag_id: 'etEAlECwAAz3kQm9vR1pXbT5wNcY7hAA', type: 1 },
      { group_name: '客户意向', tag_name: '复购意向', tag_id: 'etNEW', type: 1 },
      { group_name: '', tag_name: '我的私人标签', tag_id: 'etPersonal', type: 2 },
    ];
    h.wecom.contacts.set(WANGFANG, contact);
    await postWecom(h, wecomXml('event-edit-external-contact.xml'));
    await settled();
    const d = (await detailOf()) as Detail;
    expect(d.relations[0]?.remark).toBe('王芳-云栖贸易-采购经理');
    expect(d.tags.map((t) => t.name).sort()).toEqual(['复购意向', '重点客户']);
  });

  it('keeps the customer when they delete the member, and marks the relation lost on the timeline', async () => {
    await addWangFang();
    await postWecom(h, wecomXml('event-del-follow-user.xml'));
    await settled();
    const d = (await detailOf()) as Detail;
    expect(d.relations[0]?.status).toBe('lost');
    expect(d.name).toBe('王芳');
    expect(d.relations[0]?.lostReason).toBe('removed by customer');
    expect(d.timeline.map((t) => t.kind)).toEqual(['contact_added', 'contact_lost']);
    expect(d.timeline[1]?.detail).toEqual({ member: 'zhangsan', by: 'customer' });
  });

  it('notes a transfer the customer refused', async () => {
    await addWangFang();
    const failed = withField(
      withField(wecomXml('event-del-follow-user.xml'), 'ChangeType', 'transfer_fail'),
      'CreateTime',
      '1772424100',
    );
    await postWecom(
      h,
      failed.replace('</xml>', '<FailReason><![CDATA[customer_refused]]></FailReason></xml>'),
    );
    await settled();
    const d = (await detailOf()) as Detail;
    expect(d.timeline.at(-1)).toMatchObject({
      kind: 'transfer_failed',
      detail: { member: 'zhangsan', reason: 'customer_refused' },
    });
  });

  it('mirrors a tag added in Liaison to WeCom with mark_tag in the Liaison tag group, and its removal', async () => {
    const d = await addWangFang();
    const added = await h.api<{ changed: boolean; mirrored: number }>(`/customers/${d.id}/tags`, undefined, {
      method: 'POST',
      body: JSON.stringify({ name: '高意向' }),
    });
    expect(added.body).toEqual({ changed: true, mirrored: 1 });
    const mark = await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/mark_tag')[0]);
    const created = h.wecom.corpTagGroups().find((g) => g.group_name === 'Liaison');
    const tagId = created?.tag.find((t) => t.name === '高意向')?.id;
    expect(tagId).toBeDefined();
    expect(mark.body).toEqual({
      userid: 'zhangsan',
      external_userid: WANGFANG,
      add_tag: [tagId],
      remove_tag: [],
    });
    expect(h.wecom.marked.get(`zhangsan|${WANGFANG}`)?.has(tagId as string)).toBe(true);
    await waitFor(async () => {
      const row = await h.db
        .selectFrom('customer_tags')
        .select('mirrored_at')
        .where('customer_id', '=', d.id)
        .where('mirrored_at', 'is not', null)
        .execute();
      return row.length === 3;
    });

    // WeCom now shows the tag; an edit event must not take it away.
    const contact = h.wecom.contacts.get(WANGFANG) as { follow_user: Array<{ tags: unknown[] }> };
    contact.follow_user[0]?.tags.push({ group_name: 'Liaison', tag_name: '高意向', tag_id: tagId, type: 1 });
    await postWecom(h, wecomXml('event-edit-external-contact.xml'));
    await settled();
    expect((await detailOf())?.tags.map((t) => t.name).sort()).toEqual(['展会', '重点客户', '高意向']);

    const removed = await h.api(`/customers/${d.id}/tags/${encodeURIComponent('高意向')}`, undefined, {
      method: 'DELETE',
    });
    expect(removed.body).toEqual({ changed: true, mirrored: 1 });
    const unmark = await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/mark_tag')[1]);
    expect(unmark.body).toEqual({
      userid: 'zhangsan',
      external_userid: WANGFANG,
      add_tag: [],
      remove_tag: [tagId],
    });
  });

  it('answers a member’s /find through message/send with the phone masked', async () => {
    await addWangFang();
    await postWecom(h, withField(wecomXml('msg-text-member.xml'), 'Content', '/find 王芳'));
    const reply = await waitFor(() => h.wecom.callsTo('/cgi-bin/message/send')[0]);
    const text = (reply.body as { text: { content: string } }).text.content;
    expect(text).toContain('王芳');
    expect(text).toContain('139****1234');
    expect(text).not.toContain('13900001234');
  });

  it('keeps customer groups with who joined and left on the customers’ timelines', async () => {
    await addWangFang();
    const chatId = 'wrEAlECwAAx8Vb2nQm5pZtYcK3jHqRAA';
    const member = (userid: string, type: number, name?: string) => ({
      userid,
      type,
      join_time: 1772418500,
      ...(name ? { name } : {}),
    });
    h.wecom.groups.set(chatId, {
      chat_id: chatId,
      name: '云栖贸易采购群',
      owner: 'zhangsan',
      member_list: [
        member('zhangsan', 1),
        member(WANGFANG, 2, '王芳'),
        member('wmNEWcustomer0001', 2, '赵敏'),
      ],
    });
    await postWecom(h, wecomXml('event-change-external-chat.xml'));
    await settled();
    const zhao = (await detailOf('wmNEWcustomer0001')) as Detail;
    expect(zhao.name).toBe('赵敏');
    expect(zhao.timeline).toEqual([
      expect.objectContaining({ kind: 'group_joined', detail: { group: '云栖贸易采购群' } }),
    ]);

    h.wecom.groups.set(chatId, {
      chat_id: chatId,
      name: '云栖贸易采购群',
      owner: 'zhangsan',
      member_list: [member('zhangsan', 1), member(WANGFANG, 2, '王芳')],
    });
    await postWecom(
      h,
      withField(
        withField(wecomXml('event-change-external-chat.xml'), 'UpdateDetail', 'del_member'),
        'CreateTime',
        '1772418660',
      ),
    );
    await settled();
    const left = (await detailOf('wmNEWcustomer0001')) as Detail;
    expect(left.timeline.map((t) => t.kind)).toEqual(['group_joined', 'group_left']);

    h.wecom.groups.delete(chatId);
    await postWecom(
      h,
      withField(
        withField(wecomXml('event-change-external-chat.xml'), 'ChangeType', 'dismiss'),
        'CreateTime',
        '1772418900',
      ),
    );
    await settled();
    expect((await detailOf())?.timeline.map((t) => t.kind)).toEqual([
      'contact_added',
      'group_joined',
      'group_dismissed',
    ]);
  });

  it('keeps a local copy of the corp tags when they change', async () => {
    await postWecom(
      h,
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1772418700</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[etEAlECwAAk7Hn2sDq8LfYx4VmB0aRAA]]></Id><TagType><![CDATA[tag]]></TagType><ChangeType><![CDATA[update]]></ChangeType></xml>',
    );
    await settled();
    const tags = await h.db
      .selectFrom('platform_tags')
      .select(['name', 'group_name'])
      .orderBy('name')
      .execute();
    expect(tags).toEqual([
      { name: '展会', group_name: '客户来源' },
      { name: '重点客户', group_name: '客户等级' },
    ]);
  });

  it('hands customers over: ownership moves at once, WeCom transfers them and the outcome is tracked', async () => {
    await addWangFang();
    await postWecom(
      h,
      withField(
        withField(wecomXml('msg-text-member.xml'), 'FromUserName', 'lisi'),
        'MsgId',
        '7477281932010385999',
      ),
    );
    const staff = await waitFor(async () => {
      const { body } = await h.api<{
        items: Array<{ id: number; identities: Array<{ externalId: string }> }>;
      }>('/staff');
      const by = (id: string) => body.items.find((s) => s.identities.some((i) => i.externalId === id))?.id;
      return by('lisi') && by('zhangsan')
        ? { zhangsan: by('zhangsan') as number, lisi: by('lisi') as number }
        : undefined;
    });
    const res = await h.api<{ reassigned: number; platformTransfers: Record<string, number> }>(
      '/handover',
      undefined,
      {
        method: 'POST',
        body: JSON.stringify({ from: staff.zhangsan, to: staff.lisi }),
      },
    );
    expect(res.body).toEqual({ reassigned: 1, platformTransfers: { wecom: 1 } });
    expect((await detailOf())?.owner?.id).toBe(staff.lisi);
    const transfer = await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/transfer_customer')[0]);
    expect(transfer.body).toEqual({
      handover_userid: 'zhangsan',
      takeover_userid: 'lisi',
      external_userid: [WANGFANG],
    });
    await waitFor(
      async () =>
        (await h.db.selectFrom('transfers').select('status').executeTakeFirst())?.status === 'waiting',
    );

    h.wecom.settleTransfer(WANGFANG, 3);
    h.clock.advance(16 * 60_000);
    await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/transfer_result')[0], 5_000);
    const d = await waitFor(async () => {
      const x = await detailOf();
      return x?.timeline.some((t) => t.kind === 'transfer_refused') ? x : undefined;
    });
    expect(d.timeline.at(-1)?.detail).toEqual({ from: 'zhangsan', to: 'lisi' });
    expect((await h.db.selectFrom('transfers').select('status').executeTakeFirst())?.status).toBe('refused');
  });
});
