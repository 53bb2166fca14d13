import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatDriver,
  postTelegramPrivate,
  telegramCustomer,
  telegramDriver,
  telegramSentTo,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { ADMIN_IDS, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = ADMIN_IDS.split(',')[0]?.split(':')[1] as string;
const REP = '5700000021';
const CUSTOMER = '7700000021';
const SECOND = 1_000;

const answer = (o: Record<string, unknown>) => ({
  text: JSON.stringify({ tags: [], intent: 'other', sentiment: 'neutral', stage: null, summary: '', ...o }),
});

/** Rules and model together, as `npm run eval -- --llm` scores them (`combineReadings`): what the owner gets. */
describe.each(serverDialectsUnderTest())('rules and model combined on $name', (dialect) => {
  let h: Harness;
  let fake: FakeOpenAi;
  let chat: ChatDriver;
  let customerId = 0;
  beforeEach(async () => {
    fake = await new FakeOpenAi().start();
    fake.respond = () => answer({});
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: fake.url },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    customerId = await telegramCustomer(h, CUSTOMER, '王芳', '你好');
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${REP}`);
    h.clock.advance(61 * SECOND);
    await waitFor(() => fake.requests.length === 1);
    h.clock.advance(20 * 60 * SECOND);
  });
  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  const alertsToRep = () => telegramSentTo(h, REP).filter((t) => t.startsWith('⚠️'));
  const readBurst = async () => {
    const asked = fake.requests.length;
    h.clock.advance(61 * SECOND);
    await waitFor(() => fake.requests.length > asked);
    await waitFor(async () =>
      (
        await h.db
          .selectFrom('conversation_bursts')
          .select('llm_status')
          .where('customer_id', '=', customerId)
          .execute()
      ).every((b) => b.llm_status === 'done'),
    );
    await new Promise((r) => setTimeout(r, 300));
  };

  it('a churn the rules miss is tagged and alerted from the model’s tag; a complaint the rules caught is not alerted twice', async () => {
    // Nothing a rule knows: the model alone hears that the customer is leaving.
    fake.respond = () => answer({ tags: ['流失风险'] });
    await postTelegramPrivate(h, CUSTOMER, '王芳', '嗯，合同到期就算了吧，我们另外找了一家');
    await readBurst();
    const churn = alertsToRep();
    expect(churn).toHaveLength(1);
    expect(churn[0]).toContain('王芳');
    const tags = await h.db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select(['tags.name', 'customer_tags.source'])
      .where('customer_id', '=', customerId)
      .execute();
    expect(tags).toContainEqual({ name: '流失风险', source: 'llm' });

    // A complaint the rules alert on at once; the model agrees and is unhappy too: no second message.
    h.clock.advance(20 * 60 * SECOND);
    fake.respond = () => answer({ tags: ['投诉'], intent: 'complaint', sentiment: 'negative' });
    await postTelegramPrivate(h, CUSTOMER, '王芳', '我要投诉，你们的客服态度太差了');
    await waitFor(() => alertsToRep().length === 2);
    await readBurst();
    expect(alertsToRep()).toHaveLength(2);
  });
});
