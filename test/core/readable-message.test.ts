import { describe, expect, it } from 'vitest';
import { mapContentText, readableMessage } from '../../src/core/kernel/readable-message.ts';
import type { MessageContent } from '../../src/core/ports/events.ts';

const read = (content: MessageContent | null, text = '', contentType = 'other') => ({
  zh: readableMessage({ text, contentType, content }, 'zh'),
  en: readableMessage({ text, contentType, content }, 'en'),
});

describe('readableMessage: every kind reads as a person would read it', () => {
  it('plain text is the text; a bare kind without content is named, never blank', () => {
    expect(read(null, '你好').zh).toBe('你好');
    expect(read(null, '', 'image')).toEqual({ zh: '[图片]', en: '[Photo]' });
    expect(read(null, '', 'something-new')).toEqual({ zh: '[消息]', en: '[Message]' });
  });

  it('files give their name and size, media their length, captions follow', () => {
    expect(read({ kind: 'file', name: '报价单.pdf', size: 1_258_291 }, '请查收').zh).toBe(
      '[文件] 报价单.pdf (1.2 MB) 请查收',
    );
    expect(read({ kind: 'file', name: 'a.txt', size: 300 }).en).toBe('[File] a.txt (300 B)');
    expect(read({ kind: 'voice', seconds: 7 }).zh).toBe('[语音 0:07]');
    expect(read({ kind: 'video', seconds: 125 }).en).toBe('[Video 2:05]');
    expect(read({ kind: 'photo' }, 'look').en).toBe('[Photo] look');
    expect(read({ kind: 'sticker', emoji: '😀' }).zh).toBe('[表情 😀]');
  });

  it('a location names the place, its address and a map link', () => {
    const r = read({
      kind: 'location',
      latitude: 31.23,
      longitude: 121.47,
      name: '星巴克',
      address: '南京西路1号',
    });
    expect(r.zh).toBe(
      '[位置] 星巴克 · 南京西路1号 https://www.openstreetmap.org/?mlat=31.23&mlon=121.47#map=17/31.23/121.47',
    );
    expect(read({ kind: 'location' }).en).toBe('[Location]');
  });

  it('contact cards, polls, stories, links, cards and posts', () => {
    expect(read({ kind: 'contact', name: '王芳', phone: '+86 138 0013 8000' }).zh).toBe(
      '[名片] 王芳 +86 138 0013 8000',
    );
    expect(read({ kind: 'poll', question: '哪天方便？', options: ['周一', '周二'] }).zh).toBe(
      '[投票] 哪天方便？ 选项：周一 / 周二',
    );
    expect(read({ kind: 'story', from: 'Ann' }).en).toBe('[Story from Ann]');
    expect(read({ kind: 'link', title: 'Pricing', url: 'https://x.test/p' }).en).toBe(
      '[Link] Pricing https://x.test/p',
    );
    expect(read({ kind: 'card', title: '订单', text: '已发货' }).zh).toBe('[卡片] 订单 已发货');
    expect(read({ kind: 'post', title: '新品', images: 2 }, '看看这个').zh).toBe('新品 [图片×2] 看看这个');
    expect(read({ kind: 'post', images: 1 }, 'see').en).toBe('[1 photo] see');
    expect(read({ kind: 'unsupported', type: 'dice' }).en).toBe('[Unsupported message type: dice]');
  });

  it('a forwarded bundle lists its messages, ten at most, and counts the rest', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ from: `P${i}`, text: `m${i}` }));
    const lines = read({ kind: 'forwarded', title: '群聊的聊天记录', items }).zh.split('\n');
    expect(lines[0]).toBe('[聊天记录] 群聊的聊天记录');
    expect(lines[1]).toBe('  P0: m0');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toBe('  ……另有 2 条');
  });

  it('stored JSON is read; unreadable JSON falls back to the kind', () => {
    expect(
      readableMessage({ text: '', contentType: 'file', content: '{"kind":"file","name":"a.pdf"}' }, 'en'),
    ).toBe('[File] a.pdf');
    expect(readableMessage({ text: '', contentType: 'file', content: '{oops' }, 'en')).toBe('[File]');
  });

  it('masking reaches every piece of text inside the content, never the kind', () => {
    const masked = mapContentText(
      { kind: 'forwarded', items: [{ from: 'A', text: '13800138000', at: 5 }] },
      (t) => t.replace(/\d{11}/, '***'),
    );
    expect(masked).toEqual({ kind: 'forwarded', items: [{ from: 'A', text: '***', at: 5 }] });
  });
});
