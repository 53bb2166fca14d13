import { describe, expect, it } from 'vitest';
import { decodeFeishu } from '../../adapters/feishu/decode.ts';
import { loadConfig } from '../../src/config.ts';
import { messages } from '../../src/core/kernel/i18n/index.ts';
import type { MessageEvent } from '../../src/core/ports/events.ts';
import { buildAdapters } from '../../src/wiring/adapters.ts';
import { FakeFeishu } from '../helpers/fake-feishu.ts';
import { feishuEvent } from '../helpers/feishu-events.ts';
import { FEISHU_ENV } from '../helpers/harness.ts';

/**
 * Mentions as the wiring builds the Feishu adapter: `@_all` in the words of the platform's clients (Feishu's Chinese,
 * Lark's English, from the catalogue), `@_user_N` by the name the event gives, `@?` where it gives none; the bot's
 * own mention is dropped from a command only.
 */

const clock = { now: () => 1772417700_000 };
const adapterFor = async (domain: string) => {
  const adapters = await buildAdapters(loadConfig({ ...FEISHU_ENV, FEISHU_DOMAIN: domain }), clock);
  const feishu = adapters.get('feishu');
  if (!feishu) throw new Error('no Feishu adapter');
  return feishu;
};

const BOT = { key: '@_user_1', id: { open_id: FakeFeishu.BOT_OPEN_ID }, name: '客户助手' };
const message = (type: string, content: object, mentions: object[]) =>
  JSON.stringify(
    feishuEvent('event-im-message-group-mention.json', 'evt-mentions', (e) => {
      e.event.message = {
        ...(e.event.message as object),
        message_type: type,
        content: JSON.stringify(content),
        mentions,
      };
    }),
  );

describe('Feishu mentions', () => {
  it('reads @_all as the platform’s clients do, whether or not the event lists it', async () => {
    const text = message('text', { text: '@_all 明天停机维护' }, []);
    const [feishu] = (await adapterFor('feishu')).decode(text, clock.now()) as MessageEvent[];
    const [lark] = (await adapterFor('lark')).decode(text, clock.now()) as MessageEvent[];
    expect(feishu?.text).toBe('@所有人 明天停机维护');
    expect(lark?.text).toBe('@all 明天停机维护');
    const listed = message('text', { text: '@_all 你好' }, [{ key: '@_all', name: '所有人' }]);
    expect(((await adapterFor('lark')).decode(listed, clock.now())[0] as MessageEvent).text).toBe(
      '@all 你好',
    );
  });

  it('names each placeholder by its own entry (@_user_1 is not the start of @_user_10), @? for none', async () => {
    const mentions = [
      { key: '@_user_1', id: { open_id: 'ou_a' }, name: '张三' },
      { key: '@_user_10', id: { open_id: 'ou_b' }, name: '李四' },
    ];
    const [m] = (await adapterFor('feishu')).decode(
      message('text', { text: '@_user_10 和 @_user_1，还有 @_user_2' }, mentions),
      clock.now(),
    ) as MessageEvent[];
    expect(m?.text).toBe('@李四 和 @张三，还有 @?');
  });

  it('drops the bot’s own mention from a rich-text command, keeping the others in its words', () => {
    const self = {
      appId: FEISHU_ENV.FEISHU_APP_ID,
      botOpenId: FakeFeishu.BOT_OPEN_ID,
      mentionAll: messages('zh').messageKinds.mentionAll,
    };
    const post = {
      title: '',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: '客户助手' },
          { tag: 'text', text: ' 查找 王芳 ' },
          { tag: 'at', user_id: '@_all', user_name: '所有人' },
        ],
      ],
    };
    const [m] = decodeFeishu(message('post', post, [BOT]), self) as MessageEvent[];
    expect(m?.text).toBe('@客户助手 查找 王芳 @所有人');
    expect(m?.botCommandText).toBe('查找 王芳 @所有人');
  });
});
