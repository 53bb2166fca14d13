import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { postFeishu } from '../helpers/feishu-events.ts';
import { FEISHU_ENV, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

/** A click on a button Liaison did not draw is told to be outdated, never answered as a refusal of scope. */

const APP = FEISHU_ENV.FEISHU_APP_ID;
const OUR_TENANT = '2ed263bf32cf1651';
const ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';

describe.each(serverDialectsUnderTest())('Feishu card buttons on $name', (dialect) => {
  let h: Harness;
  let seq = 0;
  beforeEach(async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const click = (value: unknown) =>
    postFeishu(h, {
      schema: '2.0',
      header: {
        event_id: `evt-click-${++seq}`,
        event_type: 'card.action.trigger',
        create_time: String(h.clock.now()),
        token: FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
        app_id: APP,
        tenant_key: OUR_TENANT,
      },
      event: {
        operator: { tenant_key: OUR_TENANT, open_id: ZHANGSAN },
        token: `c-token-${seq}`,
        action: { value, tag: 'button' },
        host: 'im_message',
        context: { open_message_id: `om_card_${seq}`, open_chat_id: `oc_p2p_${ZHANGSAN}` },
      },
    });
  /** What Liaison told 张三 privately, in order. */
  const toldZhangSan = () =>
    h.feishu
      .callsTo('POST', '/open-apis/im/v1/messages')
      .filter((c) => c.query.receive_id_type === 'open_id')
      .map((c) => c.body as { receive_id: string; content: string })
      .filter((b) => b.receive_id === ZHANGSAN)
      .map((b) => JSON.parse(b.content).text as string);

  it.each([
    ['another app’s button', { action: 'approve_leave', leave: 'L-7' }],
    ['a button of an older card version', { cmd: 'claim', id: 3 }],
    ['a value that is no object', 'legacy-button'],
    ['a name every object has', { action: 'toString', customer: 1 }],
    ['a customer card of a customer that is gone', { action: 'assign_to_me', customer: 987654 }],
    ['a customer number that is no number', { action: 'mark_followed_up', customer: 'abc' }],
  ])('answers %s as outdated, never as out of scope', async (_, value) => {
    const answer = await click(value);
    expect(answer.status).toBe(200);
    const told = await waitFor(() => toldZhangSan()[0]);
    expect(told).toContain('此按钮已失效');
    expect(told).not.toContain('权限');
    // The answer may go out before the batch marks its delivery done: wait for that too.
    const inbox = await waitFor(async () => {
      const rows = await h.db.selectFrom('inbox').select('status').execute();
      return rows.every((r) => r.status === 'done') ? rows : undefined;
    });
    expect(inbox).toEqual([{ status: 'done' }]);
    // Nothing was done: no card redrawn, no audit of a card action.
    expect(h.feishu.callsTo('PATCH', '/open-apis/im/v1/messages/')).toEqual([]);
    const audited = await h.db.selectFrom('audit_log').select('action').execute();
    expect(audited.filter((a) => a.action.startsWith('card.'))).toEqual([]);
  });
});
