import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageLanguage, playgroundMessages } from '../../src/playground/messages.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { requestWithHost } from './helpers.ts';

describe('the playground page language', () => {
  it('is ?lang= when given, else the first of Chinese or English the browser prefers, else English', () => {
    expect(pageLanguage(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(pageLanguage(undefined, 'en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(pageLanguage(undefined, 'fr-FR,fr;q=0.9,zh-TW;q=0.5,en;q=0.4')).toBe('zh');
    expect(pageLanguage(undefined, 'en;q=0.5, zh-Hans;q=0.7')).toBe('zh');
    expect(pageLanguage(undefined, 'zh;q=0, en-GB')).toBe('en');
    expect(pageLanguage(undefined, 'zhx, de')).toBe('en');
    expect(pageLanguage(undefined, '*')).toBe('en');
    expect(pageLanguage(undefined, undefined)).toBe('en');
    expect(pageLanguage('zh', 'en-US')).toBe('zh');
    expect(pageLanguage('en', 'zh-CN')).toBe('en');
    expect(pageLanguage('fr', 'zh-CN')).toBe('zh');
  });

  it('has the same keys, none empty, in every language (tsc checks the keys too)', () => {
    const { en, zh } = playgroundMessages;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const text of [...Object.values(en), ...Object.values(zh)]) expect(text.trim()).not.toBe('');
    // Placeholders are the same in both languages.
    const places = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as Array<keyof typeof en>)
      expect(places(zh[key])).toEqual(places(en[key]));
  });
});

const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.each(sqlite)('the playground page in Chinese and English on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => {
    await h?.close();
  });

  const page = async (path: string, acceptLanguage: string) => {
    const res = await fetch(`${h.url}${path}`, { headers: { 'accept-language': acceptLanguage } });
    return { res, html: await res.text() };
  };

  it('follows Accept-Language, and its switch link', async () => {
    const zh = await page('/playground', 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain(playgroundMessages.zh.bannerLead);
    expect(zh.html).toContain('<code>POST /webhooks/web</code>');
    expect(zh.html).not.toContain(playgroundMessages.en.bannerText);
    expect(zh.html).toContain('href="?lang=en"');
    expect(zh.res.headers.get('content-language')).toBe('zh-CN');
    expect(zh.html).not.toMatch(/<script>|\son[a-z]+=/);

    const en = await page('/playground?lang=en', 'zh-CN');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain(playgroundMessages.en.bannerText);
    expect(en.html).toContain('href="?lang=zh"');
  });

  it('names Chinese fonts before the generic family', async () => {
    const css = await (await fetch(`${h.url}/playground/assets/style.css`)).text();
    const body = /body \{[^}]*font: [^;]*?([^;]*);/.exec(css)?.[1] ?? '';
    for (const font of [
      '"PingFang SC"',
      '"Microsoft YaHei"',
      '"Noto Sans CJK SC"',
      '"WenQuanYi Micro Hei"',
    ]) {
      expect(body).toContain(font);
      expect(body.indexOf(font)).toBeLessThan(body.indexOf('sans-serif'));
    }
  });

  it('refuses another machine in its language', async () => {
    const refused = await requestWithHost(`${h.url}/playground`, 'attacker.example', {
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toBe(playgroundMessages.zh.notLocal);
  });
});
