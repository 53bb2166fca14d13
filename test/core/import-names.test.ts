import { describe, expect, it } from 'vitest';
import { namesMayMatch } from '../../src/core/records/imports/names.ts';

describe('namesMayMatch (may a shared phone merge two import rows?)', () => {
  it('takes the same person written another way as one person', () => {
    const same: Array<[string, string]> = [
      ['王芳', '王芳'],
      ['王芳', ' 王 芳 '],
      ['王芳', '王芳芳'],
      ['刘洋', '刘洋（采购）'],
      ['刘洋', '刘总'],
      ['刘洋', '小刘'],
      ['刘洋', '刘先生'],
      ['刘洋', '刘阳'],
      ['欧阳娜娜', '欧阳总'],
      ['Wang Fang', 'fang wang'],
      ['John Smith', 'J. Smith'],
      ['Jon Smith', 'John Smith'],
      ['ＡＢＣ Ltd', 'abc ltd'],
    ];
    for (const [a, b] of same) expect(namesMayMatch(a, b), `${a} / ${b}`).toBe(true);
  });

  it('takes clearly different names as two people', () => {
    const different: Array<[string, string]> = [
      ['刘洋', '王芳'],
      ['刘洋', '王洋'],
      ['陈静', '李娜'],
      ['王先生', '刘洋'],
      ['客户1', '重复2'],
      ['Li Lei', 'Han Meimei'],
      ['John Smith', 'Mary Smith'],
      ['Wang Fang', '王芳'],
    ];
    for (const [a, b] of different) expect(namesMayMatch(a, b), `${a} / ${b}`).toBe(false);
  });
});
