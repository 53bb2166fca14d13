// A unionid learned after both records exist: the WeCom contact and the 微信客服 user are one person, and the records
// are linked (merged, reversibly) as soon as the unionid is known; a person's /unmerge is final.
import { afterEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const KF_ACCOUNT = 'wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA';
const KF_CUSTOMER = 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA';
const UNIONID = 'oj5zbW9sygGNyAZwADfcL91kJcxk'; // the fixture contact's (api-externalcontact-get.json)

describe.each(serverDialectsUnderTest())('unionid learned late on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  let seq = 0;
  /** The 微信客服 user writes once more (a kf/sync_msg page of one message after a callback). */
  const kfWrites = async (text: string) => {
    seq += 1;
    h.wecom.kfPages.push({
      errcode: 0,
      errmsg: 'ok',
      next_cursor: `cursor-${seq}`,
      has_more: 0,
      msg_list: [
        {
          msgid: `kf-later-${seq}`,
          open_kfid: KF_ACCOUNT,
          external_userid: KF_CUSTOMER,
          send_time: 1772418400 + seq,
          origin: 3,
          msgtype: 'text',
          text: { content: text },
        },
      ],
    });
    // Each callback carries its own token (an identical one would be a redelivery).
    await postWecom(h, withField(wecomXml('event-kf-msg-or-event.xml'), 'Token', `token-${seq}`));
    await waitFor(async () => {
      const row = await h.db
        .selectFrom('messages')
        .select('id')
        .where('platform_message_id', '=', `kf-later-${seq}`)
        .executeTakeFirst();
      return row !== undefined;
    });
  };
  const liveCustomers = () =>
    h.db
      .selectFrom('customers')
      .select(['id', 'display_name'])
      .where('merged_into_id', 'is', null)
      .orderBy('id')
      .execute();
  const messagesOf = async (customerId: number) =>
    (
      await h.db
        .selectFrom('messages')
        .select('text')
        .where('customer_id', '=', customerId)
        .orderBy('sent_at')
        .execute()
    ).map((m) => m.text);

  it('merges the 微信客服 record into the contact once the unionid is known, and never again after /unmerge', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
    // The 微信客服 user writes first, while WeCom gives their nickname but not yet their unionid.
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '芳芳' });
    h.wecom.kfPages.push(FakeWecom.kfSyncFixture());
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    await waitFor(async () => (await liveCustomers()).length === 1);
    // The same person is added as an external contact: its profile carries the unionid.
    const add = wecomRequest('post-event-add-external-contact.json');
    await fetch(`${h.url}/webhooks/wecom?${add.rawQuery}`, { method: 'POST', body: add.body });
    await waitFor(async () => (await liveCustomers()).length === 2);
    const [service, contact] = await liveCustomers();
    if (!service || !contact) throw new Error('two customers expected');
    const note = await h.api(`/customers/${contact.id}/notes`, undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '客服里问过发票' }),
    });
    expect(note.status).toBe(201);

    // Now WeCom knows the 微信客服 user's unionid: the next message links the two records.
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '芳芳', unionid: UNIONID });
    await kfWrites('合同什么时候能发？');
    expect(await liveCustomers()).toEqual([{ id: service.id, display_name: expect.any(String) }]);
    expect(await messagesOf(service.id)).toEqual([
      '你好，想咨询一下你们的企业版',
      '大概多少钱一年？可以开发票吗？',
      '合同什么时候能发？',
    ]);
    const detail = (await h.api<{ identities: Array<{ externalId: string }> }>(`/customers/${service.id}`))
      .body;
    expect(detail.identities.map((i) => i.externalId).sort()).toEqual(
      [KF_CUSTOMER, 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA'].sort(),
    );
    const notes = await h.db.selectFrom('notes').select(['customer_id', 'body']).execute();
    expect(notes).toEqual([{ customer_id: service.id, body: '客服里问过发票' }]);
    const merge = await h.db
      .selectFrom('customer_merges')
      .select(['id', 'survivor_id', 'merged_id', 'status', 'actor_staff_id', 'via'])
      .executeTakeFirstOrThrow();
    expect(merge).toMatchObject({
      survivor_id: service.id, // the older record is kept
      merged_id: contact.id,
      status: 'applied',
      actor_staff_id: null,
      via: 'wecom',
    });
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'via'])
      .where('action', '=', 'customer.merged')
      .execute();
    expect(audit).toEqual([{ actor_kind: 'system', via: 'wecom' }]);

    // A person says they are two people: the undo stands, and later messages keep to their own record.
    const undo = await h.api(`/customers/merges/${merge.id}/undo`, undefined, { method: 'POST' });
    expect(undo.status).toBe(200);
    expect((await liveCustomers()).map((c) => c.id)).toEqual([service.id, contact.id]);
    await kfWrites('收到了，谢谢');
    expect((await liveCustomers()).map((c) => c.id)).toEqual([service.id, contact.id]);
    expect(await messagesOf(service.id)).toEqual([
      '你好，想咨询一下你们的企业版',
      '大概多少钱一年？可以开发票吗？',
      '合同什么时候能发？',
      '收到了，谢谢',
    ]);
    expect(await messagesOf(contact.id)).toEqual([]);
    const merges = await h.db.selectFrom('customer_merges').select('status').execute();
    expect(merges).toEqual([{ status: 'undone' }]);
  });

  it('keeps a Feishu person on one record across chats, and by union_id when their open_id differs', async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
    const UNION = 'on_7ecabedfe20f727dc845b375fb7fffc1';
    let n = 0;
    const writes = async (openId: string, chatId: string, text: string) => {
      n += 1;
      await postFeishu(
        h,
        feishuEvent('event-im-message-group-mention.json', `evt-union-${n}`, (e) => {
          e.event.sender = {
            sender_id: { open_id: openId, union_id: UNION },
            sender_type: 'user',
            tenant_key: 'ext-tenant-9f',
          };
          e.event.message = {
            ...(e.event.message as object),
            message_id: `om_union_${n}`,
            chat_id: chatId,
            message_type: 'text',
            content: JSON.stringify({ text }),
            mentions: [],
          };
        }),
      );
      await waitFor(async () => {
        const row = await h.db
          .selectFrom('messages')
          .select('customer_id')
          .where('platform_message_id', '=', `om_union_${n}`)
          .executeTakeFirst();
        return row?.customer_id ?? undefined;
      });
    };
    await writes('ou_ext0000000000000000000000000001', 'oc_group_one', '想了解企业版');
    await writes('ou_ext0000000000000000000000000001', 'oc_group_two', '另一个项目也要');
    // The same person as another app of the same developer sees them: another open_id, the same union_id.
    await writes('ou_ext0000000000000000000000000099', 'oc_group_three', '报价发我');
    const customers = await h.db.selectFrom('customers').select('id').execute();
    expect(customers).toHaveLength(1);
    const identities = await h.db
      .selectFrom('identities')
      .select(['customer_id', 'external_id', 'union_id'])
      .orderBy('id')
      .execute();
    expect(identities).toEqual([
      { customer_id: customers[0]?.id, external_id: 'ou_ext0000000000000000000000000001', union_id: UNION },
      { customer_id: customers[0]?.id, external_id: 'ou_ext0000000000000000000000000099', union_id: UNION },
    ]);
    const chats = await h.db.selectFrom('chats').select('platform_chat_id').execute();
    expect(chats).toHaveLength(3);
  });
});
