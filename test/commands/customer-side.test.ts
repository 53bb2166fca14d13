import { afterEach, describe, expect, it } from 'vitest';
import { postTelegramPrivate, telegramCustomer } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
const HOUR = 3_600_000;
const ACK = '您好，我们的工作时间是周一至周五 9:00-18:00，上班后会尽快回复您。';

describe('what a customer gets back', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const sentTo = (chatId: string) =>
    h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === chatId)
      .map((c) => String(c.body.text));
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('is the configured acknowledgement outside business hours, once per quiet spell, and never CRM data', async () => {
    // FIXTURE_TIME: Monday 10:15 in Asia/Shanghai, within business hours.
    h = await startHarness(sqlite!, {
      clockAt: FIXTURE_TIME,
      env: { CUSTOMER_AUTO_REPLY: ACK, BUSINESS_HOURS: 'Mon-Fri 09:00-18:00' },
    });
    await telegramCustomer(h, '7400000002', '李雷', '我是另一位客户，电话13900001111');
    const id = await telegramCustomer(h, '7400000001', '王芳', '你好');
    await settle();
    expect(sentTo('7400000001')).toEqual([]);

    h.clock.advance(10 * HOUR); // 20:15
    await postTelegramPrivate(h, '7400000001', '王芳', '还在吗？');
    await waitFor(() => sentTo('7400000001')[0]);
    await postTelegramPrivate(h, '7400000001', '王芳', '/find 李雷');
    await postTelegramPrivate(h, '7400000001', '王芳', '/show #1');
    await settle();
    expect(sentTo('7400000001')).toEqual([ACK]);
    const timeline = await h.api<{
      timeline: Array<{ direction: string; text: string; author: { kind: string } }>;
    }>(`/customers/${id}`);
    expect(timeline.body.timeline.filter((t) => t.direction === 'out')).toEqual([
      expect.objectContaining({ text: ACK, author: expect.objectContaining({ kind: 'bot' }) }),
    ]);

    h.clock.advance(14 * HOUR); // the next day, 10:15: within hours again
    await postTelegramPrivate(h, '7400000001', '王芳', '早上好');
    await settle();
    expect(sentTo('7400000001')).toEqual([ACK]);
  });

  it('is nothing at all when no acknowledgement is configured', async () => {
    h = await startHarness(sqlite!, { clockAt: FIXTURE_TIME });
    await telegramCustomer(h, '7400000001', '王芳', '/find 王芳');
    await postTelegramPrivate(h, '7400000001', '王芳', '/help');
    await settle();
    expect(sentTo('7400000001')).toEqual([]);
  });
});
