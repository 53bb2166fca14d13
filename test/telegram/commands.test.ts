import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerAfter, telegramSentTo } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
let nextUpdate = 845400000;

/** 张三 (staff) writes `text` to the bot in private. */
function fromStaff(text: string, language = 'zh-hans') {
  const u = telegramFixture('update-command-find-staff.json') as {
    update_id: number;
    message: {
      text: string;
      message_id: number;
      chat: { id: number };
      from: { language_code: string };
      entities?: unknown;
    };
  };
  u.update_id = nextUpdate++;
  u.message.message_id = u.update_id;
  u.message.text = text;
  u.message.from.language_code = language;
  delete u.message.entities;
  return u;
}

describe('staff commands in Telegram', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(sqlite!);
    await h.postUpdate(telegramFixture('update-private-customer.json'));
    const shared = {
      update_id: nextUpdate++,
      message: {
        message_id: 312,
        date: 1772417830,
        chat: { id: 6234567890, type: 'private', first_name: '陈小雨' },
        from: { id: 6234567890, first_name: '陈小雨', language_code: 'zh-hans' },
        contact: { phone_number: '+8613812345678', first_name: '陈小雨', user_id: 6234567890 },
      },
    };
    await h.postUpdate(shared);
    await waitFor(async () => (await h.db.selectFrom('customers').select('phone').executeTakeFirst())?.phone);
  });
  afterEach(async () => {
    await h.close();
  });

  async function ask(text: string, language?: string): Promise<string> {
    const staff = fromStaff(text, language);
    const before = telegramSentTo(h, staff.message.chat.id).length;
    await h.postUpdate(staff);
    // the customer's own message is relayed to this staff member too, on its own schedule
    return waitFor(() => answerAfter(telegramSentTo(h, staff.message.chat.id), before));
  }

  it('shows an admin the whole phone and a rep a masked one', async () => {
    expect(await ask('/find 陈小雨')).toContain('+8613812345678');
    await h.db.updateTable('staff').set({ role: 'rep' }).execute();
    const reply = await ask('/find 陈小雨');
    expect(reply).toContain('+86 138****5678');
    expect(reply).not.toContain('13812345678');
  });

  it('understands the Chinese alias, phone digits and #id, and says so when nothing matches', async () => {
    expect(await ask('/查找 陈小雨')).toMatch(/^找到 1 位/);
    expect(await ask('/find 138 1234 5678')).toContain('陈小雨');
    const id = (await h.db.selectFrom('customers').select('id').executeTakeFirstOrThrow()).id;
    expect(await ask(`/find #${id}`)).toContain('陈小雨');
    expect(await ask('/find 不存在的人')).toBe('没有找到与「不存在的人」匹配的客户。');
  });

  it('answers in English to an English speaker, and in Chinese when the Chinese alias is typed', async () => {
    expect(await ask('/find nobody', 'en')).toBe('No customer matches "nobody".');
    expect(await ask('/查找 nobody', 'en')).toBe('没有找到与「nobody」匹配的客户。');
    expect(await ask('/help', 'en')).toMatch(/^Liaison, your CRM assistant/);
  });

  it('explains usage, unknown commands and plain text', async () => {
    expect(await ask('/find')).toBe('用法：/find 查找 <姓名|公司|电话|标签|#编号>');
    expect(await ask('/frobnicate')).toContain('未知命令 /frobnicate');
    expect(await ask('你好')).toContain('/help');
  });

  it('keeps customer data out of group chats', async () => {
    const inGroup = telegramFixture('update-group-message.json') as {
      update_id: number;
      message: { text: string; chat: { id: number } };
    };
    inGroup.update_id = nextUpdate++;
    inGroup.message.text = '/find@LiaisonCrmBot 陈小雨';
    await h.postUpdate(inGroup);
    const reply = await waitFor(() =>
      h.telegram.callsTo('sendMessage').find((c) => Number(c.body.chat_id) === inGroup.message.chat.id),
    );
    expect(String(reply.body.text)).toContain('请私聊我');
    expect(String(reply.body.text)).not.toContain('+86');
  });
});
