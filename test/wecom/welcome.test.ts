import { afterEach, describe, expect, it } from 'vitest';
import { wecomDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { installContactWays } from '../helpers/fake-wecom-contact-way.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const FIXTURE_CODE = 'DcsVObbtqEswPyfMKQqwzfzLolZx8e0vpaSHNh4bSOo';

/** 欢迎语: a new WeCom contact is greeted once, with the welcome code of the add event, in the words of their channel. */
describe.each(serverDialectsUnderTest())('welcome messages for new WeCom contacts on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const start = async (env: Record<string, string> = {}) => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME, env });
    installContactWays(h.wecom);
  };
  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
  const welcomes = () => h.wecom.callsTo('/cgi-bin/externalcontact/send_welcome_msg');
  /** The fixture's signed add_external_contact (State expo2026), delivered twice as WeCom retries. */
  const addWangFangTwice = async () => {
    const req = wecomRequest('post-event-add-external-contact.json');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${h.url}/webhooks/wecom?${req.rawQuery}`, { method: 'POST', body: req.body });
      expect(res.status).toBe(200);
    }
    await settled();
  };

  it('greets with the channel code’s welcome and the customer’s name, once', async () => {
    await start({ CONTACT_WELCOME: '您好，我是您的顾问' });
    await wecomDriver(h).ask('zhangsan', '/help');
    const staff = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', 'zhangsan')
      .executeTakeFirstOrThrow();
    const made = await h.api('/channels', undefined, {
      method: 'POST',
      body: JSON.stringify({
        code: 'expo2026',
        name: '2026 春季展会',
        kind: 'event',
        platform: 'wecom',
        staff: [staff.staff_id],
        welcome: '{name}您好，欢迎来到星河科技展台！',
      }),
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ welcome: '{name}您好，欢迎来到星河科技展台！' });
    await addWangFangTwice();
    await waitFor(() => welcomes()[0]);
    await new Promise((r) => setTimeout(r, 300));
    expect(welcomes().map((c) => c.body)).toEqual([
      { welcome_code: FIXTURE_CODE, text: { content: '王芳您好，欢迎来到星河科技展台！' } },
    ]);
  });

  it('greets with the default when the channel has none, and not at all without a text', async () => {
    await start({ CONTACT_WELCOME: '{name}，您好！我是您的专属顾问。' });
    let xml = wecomXml('event-add-external-contact.xml');
    xml = withField(withField(xml, 'State', 'unknown-code'), 'WelcomeCode', 'CODE-0002');
    xml = xml.replace(
      /<CreateTime>\d+<\/CreateTime>/,
      `<CreateTime>${Math.floor(h.clock.now() / 1000)}</CreateTime>`,
    );
    expect((await postWecom(h, xml)).status).toBe(200);
    await settled();
    await waitFor(() => welcomes()[0]);
    expect(welcomes()[0]?.body).toEqual({
      welcome_code: 'CODE-0002',
      text: { content: '王芳，您好！我是您的专属顾问。' },
    });
    await h.close();

    await start();
    await addWangFangTwice();
    await new Promise((r) => setTimeout(r, 300));
    expect(welcomes()).toEqual([]);
  });
});
