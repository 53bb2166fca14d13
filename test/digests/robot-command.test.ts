import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askInTelegramGroup, telegramDriver, wecomDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const HOUR = 3_600_000;

// WeCom's app cannot read or write in groups: a manager subscribes a group robot from their private chat instead.
describe.each(serverDialectsUnderTest())('a group robot subscribed from chat on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const robots = () =>
    h.db
      .selectFrom('digest_subscriptions')
      .select(['target_ref', 'enabled', 'kind'])
      .where('target_kind', '=', 'robot')
      .execute();

  it('lets a WeCom manager turn a group robot on and off, refuses a private address, and the robot gets the digest', async () => {
    const wecom = wecomDriver(h);
    await telegramDriver(h).ask(ADMIN, '/staff add wecom:wangjl manager');
    await telegramDriver(h).ask(ADMIN, '/staff add wecom:lixx rep');
    const hook = `${h.wecom.apiBase}/cgi-bin/webhook/send?key=robot-key-7`;

    expect(await wecom.ask('lixx', `/digest robot ${hook} on`)).toContain('只有经理及以上');
    expect(await robots()).toEqual([]);

    const refused = await wecom.ask('wangjl', '/digest robot http://10.1.2.3/cgi-bin/webhook/send?key=x on');
    expect(refused).toContain('不能用');
    expect(refused).toContain('10.1.2.3');
    expect(await robots()).toEqual([]);

    const on = await wecom.ask('wangjl', `/日报 机器人 ${hook} 开`);
    expect(on).toContain('已订阅客户日报');
    expect(on).not.toContain('robot-key-7');
    expect(await robots()).toEqual([{ target_ref: hook, enabled: 1, kind: 'daily' }]);

    h.clock.advance(23 * HOUR); // the next morning, past the digest's time
    const sent = await waitFor(() => h.wecom.callsTo('/cgi-bin/webhook/send')[0], 10_000);
    expect(sent.query.key).toBe('robot-key-7');

    expect(await wecom.ask('wangjl', `/digest weekly robot ${hook} on`)).toContain('周报');
    expect(await wecom.ask('wangjl', `/digest robot ${hook} off`)).toContain('已取消客户日报');
    expect((await robots()).map((r) => [r.kind, r.enabled]).sort()).toEqual([
      ['daily', 0],
      ['weekly', 1],
    ]);
  });

  it('asks for the webhook in a private chat, never in a group', async () => {
    const hook = `${h.wecom.apiBase}/cgi-bin/webhook/send?key=k`;
    const answer = await askInTelegramGroup(h, ADMIN, -1009876543210, `/digest robot ${hook} on`);
    expect(answer).toContain('私聊');
    // And the group's own subscription still works there.
    expect(await askInTelegramGroup(h, ADMIN, -1009876543210, '/digest on')).toContain('本群已订阅客户日报');
    expect(await robots()).toEqual([]);
  });
});
