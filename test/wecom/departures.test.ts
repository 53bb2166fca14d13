import { afterEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { type FakeDirectory, installDirectory } from '../helpers/fake-wecom-directory.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const WANGFANG = 'wmEAlECwAAHb8rJz0uVq3nTk1aLpXcAA';
/** 2026-03-03 03:30 +08:00: inside the nightly reconciliation's window. */
const NIGHT = Date.UTC(2026, 2, 2, 19, 30);

const deleteUser = (userId: string, createTime: number) =>
  `<xml><ToUserName><![CDATA[${WECOM_ENV.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[${userId}]]></UserID></xml>`;

describe.each(serverDialectsUnderTest())('WeCom departures on $name', (dialect) => {
  let h: Harness;
  let dir: FakeDirectory;
  let openai: FakeOpenAi | undefined;
  let msgId = 7477281932010386000n;
  const start = async (clockAt = FIXTURE_TIME, env: Record<string, string> = {}) => {
    h = await startHarness(dialect, { wecom: true, clockAt, env: { NIGHTLY_SYNC: 'on', ...env } });
    dir = installDirectory(h.wecom);
  };
  afterEach(async () => {
    await h?.close();
    await openai?.close();
    openai = undefined;
  });

  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
  /** A member writes to the app (registers them as staff). */
  const say = async (member: string, text: string) => {
    msgId += 1n;
    const xml = withField(
      withField(withField(wecomXml('msg-text-member.xml'), 'FromUserName', member), 'MsgId', String(msgId)),
      'Content',
      text,
    );
    expect((await postWecom(h, xml)).status).toBe(200);
    await settled();
  };
  const staffId = async (member: string) =>
    waitFor(async () => {
      const row = await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', member)
        .executeTakeFirst();
      return row?.staff_id;
    });
  /** `manager` manages a team holding `members`. */
  const team = async (manager: string, members: string[]) => {
    const t = await h.db
      .insertInto('teams')
      .values({ name: '华东销售', parent_id: null, created_at: h.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.db
      .updateTable('staff')
      .set({ role: 'manager', team_id: t.id })
      .where('id', '=', await staffId(manager))
      .execute();
    for (const m of members)
      await h.db
        .updateTable('staff')
        .set({ team_id: t.id })
        .where('id', '=', await staffId(m))
        .execute();
  };
  const textsTo = (member: string) =>
    h.wecom
      .callsTo('/cgi-bin/message/send')
      .map((c) => c.body as { touser?: string; text?: { content?: string }; markdown?: { content?: string } })
      .filter((b) => b.touser === member)
      .map((b) => b.text?.content ?? b.markdown?.content ?? '');
  const addWangFang = async () => {
    const req = wecomRequest('post-event-add-external-contact.json');
    expect(
      (await fetch(`${h.url}/webhooks/wecom?${req.rawQuery}`, { method: 'POST', body: req.body })).status,
    ).toBe(200);
    await settled();
    return waitFor(async () => {
      const row = await h.db
        .selectFrom('identities')
        .select('customer_id')
        .where('external_id', '=', WANGFANG)
        .executeTakeFirst();
      return row?.customer_id;
    });
  };

  it('lists a departed member’s customers and groups to their manager once, on delete_user', async () => {
    await start();
    const customerId = await addWangFang(); // zhangsan's customer
    await say('wangwu', '你好');
    await team('wangwu', ['zhangsan']);
    dir.addGroup('wrGROUP1', 'zhangsan', '春季展会群', [
      { userid: 'zhangsan', type: 1 },
      { userid: WANGFANG, type: 2, name: '王芳' },
    ]);
    dir.addGroup('wrOTHER', 'wangwu', '别人的群', [{ userid: 'wangwu', type: 1 }]);
    const event = deleteUser('zhangsan', 1772418000);
    expect((await postWecom(h, event)).status).toBe(200);
    await settled();
    const notice = await waitFor(() => textsTo('wangwu').find((t) => t.includes('离职')));
    expect(notice).toContain('zhangsan 已离职，留下 1 位客户、1 个客户群待继承');
    expect(notice).toContain(`#${customerId} 王芳`);
    // The command, with its placeholder's brackets as WeCom text shows them.
    expect(notice).toMatch(/交接：\/handover wecom:zhangsan [<＜]接手人[>＞] 离职$/);
    // Redelivered, and delivered again by WeCom under another time: nothing new.
    expect((await postWecom(h, event)).status).toBe(200);
    expect((await postWecom(h, deleteUser('zhangsan', 1772418060))).status).toBe(200);
    // Other 通讯录 changes are not departures.
    expect(
      (await postWecom(h, deleteUser('lisi', 1772418070).replace('delete_user', 'update_user'))).status,
    ).toBe(200);
    await settled();
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo('wangwu').filter((t) => t.includes('离职'))).toHaveLength(1);
    expect(textsTo('zhangsan')).toEqual([]);
  });

  it('finds departures Liaison missed in the nightly unassigned list, once', async () => {
    await start();
    await addWangFang();
    await say('wangwu', '你好');
    await team('wangwu', ['zhangsan']);
    dir.unassigned = [
      { handover_userid: 'zhangsan', external_userid: WANGFANG, dimission_time: 1772400000 },
      { handover_userid: 'zhangsan', external_userid: 'wmNOTINLIAISON', dimission_time: 1772400000 },
    ];
    const unassigned = () => h.wecom.callsTo('/cgi-bin/externalcontact/get_unassigned_list');
    expect(textsTo('wangwu').filter((t) => t.includes('离职'))).toEqual([]);
    h.clock.advance(NIGHT - h.clock.now()); // 03:30: the night's reconciliation
    const notice = await waitFor(() => textsTo('wangwu').find((t) => t.includes('离职')), 10_000);
    expect(notice).toContain('zhangsan 已离职，留下 2 位客户、0 个客户群待继承');
    expect(notice).toContain('……另有 1 位客户');
    expect(unassigned()[0]?.body).toMatchObject({ page_size: 1000 });
    h.clock.advance(24 * 60 * 60_000); // the next night lists the same departure: not told again
    await waitFor(() => unassigned().length >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo('wangwu').filter((t) => t.includes('离职'))).toHaveLength(1);
  }, 30_000);

  it('/handover … 离职 transfers the customers and the groups, reports refused groups and briefs the successor with AI', async () => {
    openai = await new FakeOpenAi().start();
    openai.respond = () => ({ text: '先联系 王芳：展会后在等报价。' });
    await start(FIXTURE_TIME, { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: openai.url });
    await addWangFang();
    await say('wangwu', '你好');
    await say('lisi', '你好');
    await team('wangwu', ['zhangsan', 'lisi']);
    dir.addGroup('wrGROUP1', 'zhangsan', '春季展会群', [{ userid: 'zhangsan', type: 1 }]);
    dir.addGroup('wrGROUP2', 'zhangsan', '老客户群', [{ userid: 'zhangsan', type: 1 }]);
    // WeCom answers group by group: one of the two is refused.
    h.wecom.route('/cgi-bin/externalcontact/groupchat/transfer', () => ({
      errcode: 0,
      errmsg: 'ok',
      failed_chat_list: [{ chat_id: 'wrGROUP2', errcode: 90501, errmsg: 'chat is not external group chat' }],
    }));
    await say('wangwu', '/handover wecom:zhangsan wecom:lisi 离职');
    const reply = await waitFor(() => textsTo('wangwu').find((t) => t.includes('交接给')));
    expect(reply).toContain('另有 2 个客户群正在转给接手人');
    const customers = await waitFor(
      () => h.wecom.callsTo('/cgi-bin/externalcontact/resigned/transfer_customer')[0],
    );
    expect(customers.body).toEqual({
      handover_userid: 'zhangsan',
      takeover_userid: 'lisi',
      external_userid: [WANGFANG],
    });
    const groups = await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/groupchat/transfer')[0]);
    expect(groups.body).toEqual({ chat_id_list: ['wrGROUP1', 'wrGROUP2'], new_owner: 'lisi' });
    const failed = await waitFor(() => textsTo('wangwu').find((t) => t.includes('客户群交接')));
    expect(failed).toContain('成功 1 个，未成功 1 个');
    expect(failed).toContain('wrGROUP2 errcode 90501');
    const brief = await waitFor(() => textsTo('lisi').find((t) => t.includes('交接简报')));
    expect(brief).toContain('AI 摘要：\n先联系 王芳：展会后在等报价。');
    expect(brief).toContain('王芳');
    const asked = openai.requests.at(-1);
    expect(asked?.messages[1]?.content).toContain('王芳');
    expect(
      await h.db
        .selectFrom('llm_calls')
        .select(['purpose', 'ok'])
        .where('purpose', '=', 'handover_brief')
        .execute(),
    ).toEqual([{ purpose: 'handover_brief', ok: 1 }]);
  }, 30_000);

  it('hands over without groups or AI lines when the member is still there (在职继承) and no LLM is set', async () => {
    await start();
    await addWangFang();
    await say('wangwu', '你好');
    await say('lisi', '你好');
    await team('wangwu', ['zhangsan', 'lisi']);
    dir.addGroup('wrGROUP1', 'zhangsan', '春季展会群', [{ userid: 'zhangsan', type: 1 }]);
    await say('wangwu', '/handover wecom:zhangsan wecom:lisi');
    const brief = await waitFor(() => textsTo('lisi').find((t) => t.includes('交接简报')));
    expect(brief).not.toContain('AI');
    await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/transfer_customer')[0]);
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/groupchat/transfer')).toEqual([]);
  });

  it('hands a departed member’s groups to the successor in WeCom, 100 chat ids a call', async () => {
    await start();
    await say('wangwu', '你好');
    await say('zhangsan', '你好');
    await say('lisi', '你好');
    await team('wangwu', ['zhangsan', 'lisi']);
    for (let i = 0; i < 150; i++)
      dir.addGroup(`wrMANY${String(i).padStart(3, '0')}`, 'zhangsan', `群${i}`, [
        { userid: 'zhangsan', type: 1 },
      ]);
    await say('wangwu', '/handover wecom:zhangsan wecom:lisi 离职');
    const calls = await waitFor(() => {
      const c = h.wecom.callsTo('/cgi-bin/externalcontact/groupchat/transfer');
      return c.length === 2 ? c : undefined;
    });
    const sizes = calls.map((c) => (c.body as { chat_id_list: string[] }).chat_id_list.length).sort();
    expect(sizes).toEqual([100, 50]);
    expect([...h.wecom.groups.values()].every((g) => (g as { owner: string }).owner === 'lisi')).toBe(true);
    await settled();
    expect(textsTo('wangwu').some((t) => t.includes('客户群交接'))).toBe(false); // nothing refused, nothing to report
  });
});
