import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { postFeishu } from '../helpers/feishu-events.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

/**
 * A merge_forward bundle arrives without its messages: Liaison asks Feishu for them after acknowledging the event,
 * once, and keeps the bundle whatever Feishu answers.
 */

interface Fixture {
  event: { header: { event_id: string }; event: { message: { message_id: string } } };
  api: { items: Array<Record<string, unknown>> };
}

const bundle = JSON.parse(
  readFileSync(new URL('../fixtures/replay/feishu/merge_forward.json', import.meta.url), 'utf8'),
) as Fixture;
const GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const SENDER = 'ou_replay_merge_forward';
const BUNDLE_ID = bundle.event.event.message.message_id;
const PATH = `/open-apis/im/v1/messages/${BUNDLE_ID}`;

describe.each(serverDialectsUnderTest())('Feishu forwarded bundles on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
    h.feishu.chatMembers.set(GROUP, [{ member_id: SENDER, name: '王芳', tenant_key: 'ext-tenant-9f' }]);
  });
  afterEach(async () => {
    await h.close();
  });

  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
      30_000,
    );
  const stored = async () => {
    const list = await h.api<{ items: Array<{ id: number }> }>('/customers');
    const id = list.body.items[0]?.id;
    const detail = await h.api<{
      timeline: Array<{ type: string; content: unknown; readable: string }>;
    }>(`/customers/${id}`, undefined, { headers: { 'accept-language': 'zh' } });
    return detail.body.timeline.filter((e) => e.type === 'message');
  };

  it('lists the bundle’s messages with their senders, asked of Feishu after the event was acknowledged', async () => {
    const items = bundle.api.items;
    // Feishu takes its time: the webhook is answered before it says anything, and nothing is stored meanwhile.
    h.feishu.script('GET', PATH, { body: { code: 0, msg: 'success', data: { items } }, delayMs: 1_000 });
    expect((await postFeishu(h, bundle.event)).status).toBe(200);
    await waitFor(() => h.feishu.callsTo('GET', PATH)[0]);
    expect(await h.db.selectFrom('messages').selectAll().execute()).toEqual([]);
    await settled();
    expect((await stored()).map((m) => m.readable)).toEqual([
      '[聊天记录]\n  王芳: 报价收到了，@张三 请确认\n  李雷: [图片]\n  王芳: [文件] 合同-v2.pdf\n  李雷: [聊天记录]',
    ]);
  });

  it('gives a question Feishu never answers up, keeping the bundle as the event had it', async () => {
    await h.close();
    // A lease longer than the question's time limit, as in production: the delivery is not taken over meanwhile.
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME, settings: { leaseMs: 60_000 } });
    h.feishu.chatMembers.set(GROUP, [{ member_id: SENDER, name: '王芳', tenant_key: 'ext-tenant-9f' }]);
    h.feishu.script('GET', PATH, 'hang');
    expect((await postFeishu(h, bundle.event)).status).toBe(200);
    await settled();
    expect((await stored()).map((m) => [m.content, m.readable])).toEqual([
      [{ kind: 'forwarded', items: [] }, '[聊天记录]'],
    ]);
    expect(h.feishu.callsTo('GET', PATH)).toHaveLength(1);
  }, 90_000);

  it('keeps the bundle when Feishu refuses, asking once, never again', async () => {
    h.feishu.messages.set(BUNDLE_ID, bundle.api.items);
    h.feishu.script('GET', PATH, { status: 500, body: { code: 1000004, msg: 'internal error' } });
    expect((await postFeishu(h, bundle.event)).status).toBe(200);
    await settled();
    expect((await stored())[0]?.readable).toBe('[聊天记录]');
    expect(h.feishu.callsTo('GET', PATH)).toHaveLength(1);
    const inbox = await h.db.selectFrom('inbox').select(['status']).execute();
    expect(inbox).toEqual([{ status: 'done' }]);
  });
});
