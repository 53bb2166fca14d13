// Written Cantonese (Hong Kong and Guangdong customers) is read by the same Mandarin rules: 冇收到貨 is 没收到货.
// Cases written here, none from the evaluation set.
import { describe, expect, it } from 'vitest';
import { FOLDS, foldCantonese } from '../../src/core/kernel/text/fold-cantonese.ts';
import { tagsOf } from './shipped-tags.ts';

describe('Cantonese messages', () => {
  it.each([
    ['我冇收到貨，幾時寄出？', '我没收到货，几时寄出？'],
    ['聽日就要用，今日寄唔寄到？', '明天就要用，今天寄不寄到？'],
    ['幾多錢一盒？', '多少钱一盒？'],
    ['唔好再打嚟推銷啦', '不要再打来推销啦'],
    ['部機壞咗，冇反應', '部机坏了，没反应'],
    ['點解我張單仲未發貨？', '为什么我张单还没发货？'],
    ['你哋搞乜嘢啊，收錢唔做嘢', '你们搞什么啊，收钱不做东西'],
    ['唔使退款喇，換過一件就得', '不用退款啦，换过一件就得'],
    ['係咪可以退貨？', '是不是可以退货？'],
    ['我哋下個月唔續約了', '我们下个月不续约了'],
  ])('%s is tagged as its Mandarin twin %s', (cantonese, mandarin) => {
    expect(tagsOf(cantonese)).toEqual(tagsOf(mandarin));
  });

  it('gets the tags a rep would expect, not merely the same as Mandarin', () => {
    expect(tagsOf('我冇收到貨，幾時寄出？')).toContain('物流');
    expect(tagsOf('幾多錢一盒？')).toContain('询价');
    expect(tagsOf('部機壞咗，冇反應')).toContain('售后');
    expect(tagsOf('我哋下個月唔續約了')).toContain('流失风险');
    // 唔使退款: the customer turns the refund down.
    expect(tagsOf('唔使退款喇，換過一件就得')).not.toContain('退款');
  });

  it('folds only what Mandarin does not use another way', () => {
    for (const mandarin of [
      '重点解决一下仲裁的问题', // 点解 inside 重点解决, 仲 of 仲裁
      '宜家的柜子质量一般', // 宜家 is the shop
      '先寄一点样品过来', // 点样 of 一点样品
      '蚊子太多了', // 蚊 without an amount
      '唔，好的，我考虑一下', // 唔 alone is "hmm"
      '一边度假一边办公', // 边度 of 一边度假
      '返回上一页', // 返 that is not 加返/退返
    ])
      expect(foldCantonese(mandarin)).toBe(mandarin);
    expect(foldCantonese('点解张卡少咗五百蚊？麻烦加返')).toBe('为什么张卡少了五百块？麻烦加回');
    expect(foldCantonese('人哋嗰间平啲')).toBe('别人那间平些');
    expect(foldCantonese('用唔到')).toBe('用不了');
  });

  it.each(FOLDS.map(([source, mandarin, example]) => [example, mandarin, source]))(
    'folds %s to hold %s (every fold is reached, none left out of the quick check)',
    (example, mandarin) => {
      const folded = foldCantonese(example);
      expect(folded).not.toBe(example);
      expect(folded).toContain(mandarin);
    },
  );

  it('keeps a Mandarin reading that differs: 用唔到 is "cannot use", 人哋 is "others"', () => {
    expect(tagsOf('部手机用唔到，开唔着')).toContain('售后');
    expect(tagsOf('可能用不到这么多，我再想想')).not.toContain('售后');
  });
});
