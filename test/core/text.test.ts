import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/core/chat/commands/parse.ts';
import { languageOf } from '../../src/core/kernel/i18n/index.ts';
import { maskPhone } from '../../src/core/kernel/permissions/mask.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import { splitText } from '../../src/lib/split-text.ts';

describe('command parsing', () => {
  it('reads slash commands, Chinese aliases, full-width slashes and bot suffixes', () => {
    expect(parseCommand('/find 王芳')).toEqual({ word: 'find', args: '王芳', typedLanguage: null });
    expect(parseCommand('/查找 王芳')).toEqual({ word: '查找', args: '王芳', typedLanguage: 'zh' });
    expect(parseCommand('／查找  王芳 ')).toEqual({ word: '查找', args: '王芳', typedLanguage: 'zh' });
    expect(parseCommand('/FIND@LiaisonCrmBot 138')).toEqual({
      word: 'find',
      args: '138',
      typedLanguage: null,
    });
    expect(parseCommand('/help')).toEqual({ word: 'help', args: '', typedLanguage: null });
    expect(parseCommand('/note 王芳\n第二行')?.args).toBe('王芳\n第二行');
  });

  it('does not take ordinary text for a command', () => {
    expect(parseCommand('你好')).toBeNull();
    expect(parseCommand('/')).toBeNull();
    expect(parseCommand('a/b')).toBeNull();
  });
});

describe('languages', () => {
  it('answers Chinese speakers in Chinese and everyone else in English', () => {
    expect(languageOf('zh-hans')).toBe('zh');
    expect(languageOf('zh-TW')).toBe('zh');
    expect(languageOf('en-US')).toBe('en');
    expect(languageOf('ru')).toBe('en');
    expect(languageOf(undefined)).toBe('zh');
  });
});

describe('phone masking', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('+86 138****5678');
    expect(maskPhone('12345')).toBe('*****');
  });
});

describe('text splitting', () => {
  it('leaves short text alone and splits long text at line breaks within the limit', () => {
    expect(splitText('短', 10)).toEqual(['短']);
    const text = `${'a'.repeat(6)}\n${'b'.repeat(6)}\n${'c'.repeat(3)}`;
    const parts = splitText(text, 10);
    expect(parts.every((p) => p.length <= 10)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });

  it('never cuts an emoji in half and can count UTF-8 bytes', () => {
    const parts = splitText('😀'.repeat(5), 3);
    expect(parts.join('')).toBe('😀'.repeat(5));
    expect(parts.every((p) => !/[\ud800-\udbff]$/.test(p))).toBe(true);
    const bytes = (s: string) => new TextEncoder().encode(s).length;
    expect(splitText('中文'.repeat(10), 9, bytes).every((p) => bytes(p) <= 9)).toBe(true);
  });
});

describe('secret comparison', () => {
  it('accepts only the exact secret', () => {
    const matches = secretMatcher('tgwh_secret');
    expect(matches('tgwh_secret')).toBe(true);
    expect(matches('tgwh_secreT')).toBe(false);
    expect(matches('tgwh_secret_longer')).toBe(false);
    expect(matches('')).toBe(false);
    expect(secretMatcher('密钥')('密钥')).toBe(true);
    expect(secretMatcher('密钥')('密码')).toBe(false);
  });
});
