import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newCampaign, newSegment, type PreviewView, post, untilStatus } from '../campaigns/setup.ts';
import { telegramCustomer, telegramDriver, telegramSentTo } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

interface Replayed {
  update: {
    update_id: number;
    my_chat_member: { chat: Record<string, unknown>; date: number; new_chat_member: Record<string, unknown> };
  };
}
const replayed = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/replay/telegram/${name}`, import.meta.url), 'utf8'),
  ) as Replayed;
const blocked = replayed('my-chat-member-kicked.json').update;
const unblocked = replayed('my-chat-member-member.json').update;

/** The customer of the replay fixtures, who blocks the bot and unblocks it again. */
const BLOCKER = '6300000030';
const OTHER = '7300000002';
const ADMIN = '5123456789';
const OFFER = '会员日：全场满减';

describe.each(serverDialectsUnderTest())('a customer who blocked the bot, on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect);
  });
  afterEach(async () => {
    await h.close();
  });

  const unreachableAt = async () =>
    (
      await h.db
        .selectFrom('identities')
        .select('unreachable_at')
        .where('platform', '=', 'telegram')
        .where('external_id', '=', BLOCKER)
        .executeTakeFirstOrThrow()
    ).unreachable_at;
  const apiReply = (id: number, text: string, key: string) =>
    h.api<{ reason?: string; status?: string }>(`/customers/${id}/messages`, undefined, {
      method: 'POST',
      headers: { 'Idempotency-Key': key },
      body: JSON.stringify({ text }),
    });

  it('shows it on the card, refuses replies, skips them in campaigns, and undoes all of it on unblock', async () => {
    const chat = telegramDriver(h);
    const id = await telegramCustomer(h, BLOCKER, '邓琪', '你好，想了解一下价格');
    await telegramCustomer(h, OTHER, '别的客户', '你好');

    expect((await h.postUpdate(blocked)).status).toBe(200);
    await waitFor(async () => (await unreachableAt()) !== null);
    expect(Number(await unreachableAt())).toBe(blocked.my_chat_member.date * 1000);
    // The same update again (Telegram re-sends) changes nothing.
    expect((await h.postUpdate(blocked)).status).toBe(200);

    const card = await chat.ask(ADMIN, `/show #${id}`);
    expect(card).toMatch(/⚠️ 无法触达：telegram：客户已屏蔽机器人（.+ 起）/);
    expect(await chat.ask(ADMIN, `/show #${id}`, 'en')).toContain('telegram: the customer blocked the bot');
    expect(await chat.ask(ADMIN, `/reply #${id} 您好，报价已发您`)).toContain('已屏蔽机器人');
    const refused = await apiReply(id, '您好，报价已发您', 'unreachable-1');
    expect(refused).toMatchObject({ status: 409, body: { reason: 'unreachable' } });

    // A campaign counts them as skipped (no channel), not failed, and reaches the others.
    const segment = await newSegment(h, 'everyone', {});
    const campaign = await newCampaign(h, { name: '会员日', segment, text: OFFER });
    const preview = (await post<PreviewView>(h, `/campaigns/${campaign.id}/preview`)).body;
    expect(preview).toMatchObject({ skipped: { no_channel: 1 }, reachable: { total: 1 } });
    await post(h, `/campaigns/${campaign.id}/schedule`);
    const done = await untilStatus(h, campaign.id, 'done');
    expect(done.recipients.byStatus).toEqual({ skipped: 1, delivered: 1 });
    expect(done.recipients.byReason).toEqual({ no_channel: 1 });
    expect(telegramSentTo(h, BLOCKER)).toEqual([]);
    expect(telegramSentTo(h, OTHER).filter((t) => t.startsWith(OFFER))).toHaveLength(1);

    // Unblocked (or Start pressed again): reachable again, and a reply goes out.
    expect((await h.postUpdate(unblocked)).status).toBe(200);
    await waitFor(async () => (await unreachableAt()) === null);
    expect(await chat.ask(ADMIN, `/show #${id}`)).not.toContain('无法触达');
    expect(await chat.ask(ADMIN, `/reply #${id} 您好，报价已发您`)).toContain('已回复');
    await waitFor(() => telegramSentTo(h, BLOCKER).includes('您好，报价已发您'));
    expect((await apiReply(id, '还有问题随时找我', 'unreachable-2')).status).toBe(202);
  });

  it('keeps a later block when an older unblock arrives after it, and ignores the bot leaving a group', async () => {
    await telegramCustomer(h, BLOCKER, '邓琪');
    const late = { ...blocked, update_id: blocked.update_id + 10 };
    late.my_chat_member = { ...blocked.my_chat_member, date: unblocked.my_chat_member.date + 60 };
    await h.postUpdate(late);
    await waitFor(async () => (await unreachableAt()) !== null);
    await h.postUpdate(unblocked); // sent before the block, delivered after it
    await h.postUpdate({
      update_id: blocked.update_id + 11,
      my_chat_member: {
        ...blocked.my_chat_member,
        chat: { id: -1001234567890, title: '客户群', type: 'supergroup' },
        new_chat_member: {
          ...blocked.my_chat_member.new_chat_member,
          status: 'left',
        },
      },
    });
    await waitFor(
      async () =>
        (await h.db.selectFrom('inbox').select('status').execute()).filter((r) => r.status === 'done')
          .length === 4,
    );
    expect(Number(await unreachableAt())).toBe(late.my_chat_member.date * 1000);
    expect(await h.db.selectFrom('customers').select('id').execute()).toHaveLength(1);
  });

  it('marks the customer unreachable when Telegram refuses a reply because they blocked the bot', async () => {
    const chat = telegramDriver(h);
    const id = await telegramCustomer(h, BLOCKER, '邓琪', '你好');
    h.telegram.chaos = (call) =>
      call.method === 'sendMessage' && String(call.body.chat_id) === BLOCKER
        ? {
            status: 403,
            body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
          }
        : undefined;
    expect(await chat.ask(ADMIN, `/reply #${id} 您好，报价已发您`)).toContain('已回复');
    await waitFor(async () => (await unreachableAt()) !== null, 10_000);
    // The sender is told it was not delivered, and the next reply is refused up front.
    await waitFor(() =>
      chat.sentTo(ADMIN).some((t) => t.startsWith('未能送达邓琪') && t.includes('blocked')),
    );
    expect(await chat.ask(ADMIN, `/reply #${id} 再试一次`)).toContain('已屏蔽机器人');
    // Unblocking afterwards makes them reachable again.
    h.telegram.chaos = undefined;
    const later = { ...unblocked, update_id: unblocked.update_id + 20 };
    later.my_chat_member = { ...unblocked.my_chat_member, date: Math.ceil(Date.now() / 1000) + 1 };
    expect((await h.postUpdate(later)).status).toBe(200);
    await waitFor(async () => (await unreachableAt()) === null);
    expect(await chat.ask(ADMIN, `/reply #${id} 再试一次`)).toContain('已回复');
  });
});
