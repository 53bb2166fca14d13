import { afterEach, describe, expect, it } from 'vitest';
import { askInTelegramGroup, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const REP = '5800000001';
const DAY = 86_400_000;

describe.each(serverDialectsUnderTest())('lifecycle, value tiers and churn risk on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('moves stages from deals, ranks customers by revenue, and flags the silent ones in /stale and the digest', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
    const ids: number[] = [];
    for (const [i, name] of ['大客户', '小客户', '新客户'].entries()) {
      ids.push(await telegramCustomer(h, String(7800000001 + i), name));
      await chat.ask(ADMIN, `/assign #${ids[i]} telegram:${REP}`);
    }
    const [big, small, fresh] = ids as [number, number, number];
    await chat.ask(REP, `/deal #${big} 100万 won 年框`);
    await chat.ask(REP, `/deal #${small} 1万 赢单`);
    await chat.ask(REP, `/deal #${small} 2万 proposal 续费`);
    await chat.ask(REP, `/deal #${small} 2万 won`);
    await chat.ask(REP, `/deal #${fresh} 5万 proposal`);
    const customer = (id: number) =>
      h.db
        .selectFrom('customers')
        .select(['stage', 'value_tier', 'churn_risk'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    expect((await customer(big)).stage).toBe('won');
    expect((await customer(small)).stage).toBe('repeat'); // a second won deal

    h.clock.advance(61 * 60_000); // the hourly recomputation
    await waitFor(async () => (await customer(big)).value_tier === 'key');
    expect(await customer(fresh)).toMatchObject({ value_tier: 'growth', churn_risk: 0 });
    expect((await customer(small)).value_tier).toBeNull();

    h.clock.advance(31 * DAY);
    await waitFor(async () => (await customer(big)).value_tier === 'dormant');
    expect((await customer(big)).churn_risk).toBe(50);
    const stale = await chat.ask(REP, '/stale');
    expect(stale).toContain(`#${big} 大客户`);
    expect(stale).toContain('⚠️流失风险50');
    const digest = await askInTelegramGroup(h, ADMIN, -1001800000001, '/digest now');
    expect(digest).toContain('流失风险客户: 3');
  });
});
