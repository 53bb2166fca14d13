// Written Cantonese folded to Mandarin for matching rules (聽日要用 → 明天要用, 冇收到 → 没收到, 你哋 → 你们), so a
// rule written in Mandarin reads a customer writing the way Hong Kong and Guangdong customers type. Runs on text
// already folded to Simplified (fold-chinese.ts). No library does this: OpenCC converts scripts, not dialect words.
import { codeUnitSet } from './code-unit-set.ts';

/**
 * Cantonese words and particles (a regex source) with their Mandarin reading and a text they fold, in Simplified
 * script. Only what Mandarin text does not use in another sense, or guarded by its neighbours where it does
 * (重点解决, 仲裁, 一点样品, 蚊子, 宜家 as the shop stay as they are).
 */
export const FOLDS: ReadonlyArray<readonly [source: string, mandarin: string, example: string]> = [
  ['听日', '明天', '听日要'],
  ['听朝', '明早', '听朝早'],
  ['听晚', '明晚', '听晚见'],
  ['琴日', '昨天', '琴日买'],
  ['寻日', '昨天', '寻日买'],
  ['今日', '今天', '今日到'],
  ['而家', '现在', '而家要'],
  ['依家', '现在', '依家要'],
  ['(?<![\\u3400-\\u9fff])点解', '为什么', '点解会'],
  ['几多', '多少', '几多钱'],
  ['(?<![一有些这那快早慢多少差])点样(?![品本板式])', '怎样', '点样用'],
  ['(?<![一这那两半左右旁身])边度', '哪里', '喺边度'],
  ['(?<![一这那两半左右旁身])边个', '哪个', '边个负责'],
  ['(?<![一这那两半左右旁身])边间', '哪家', '边间好'],
  ['搞掂', '搞定', '搞掂未'],
  ['系唔系', '是不是', '系唔系真'],
  ['系咪', '是不是', '系咪真'],
  ['唔系', '不是', '唔系我'],
  ['唔好', '不要', '唔好打'],
  ['唔使', '不用', '唔使寄'],
  ['唔该', '请', '唔该你'],
  // 用唔到 is "cannot use" (broken), not Mandarin 用不到 "do not need".
  ['用唔到', '用不了', '用唔到'],
  // 唔 before a word is 不 (唔得, 唔work); alone (唔，好的) it is a Mandarin "hmm".
  ['唔(?=[\\u3400-\\u9fffa-z])', '不', '唔得'],
  ['冇', '没', '冇货'],
  ['咗', '了', '坏咗'],
  ['嘅', '的', '我嘅'],
  ['[俾畀]', '给', '俾钱'],
  ['喺', '在', '喺度'],
  ['啲', '些', '平啲'],
  ['佢', '他', '佢话'],
  ['人哋', '别人', '人哋话'],
  ['哋', '们', '我哋'],
  ['嗰', '那', '嗰个'],
  ['嚟', '来', '送嚟'],
  ['睇', '看', '睇下'],
  ['揾', '找', '揾你'],
  ['攞', '拿', '攞货'],
  ['[乜咩]嘢', '什么', '乜嘢事'],
  ['嘢', '东西', '买嘢'],
  ['乜', '什么', '做乜'],
  ['咁', '这么', '咁贵'],
  ['噉', '这样', '噉样'],
  // 仲 is 还 before what follows it in Cantonese (仲未, 仲有, 仲要), not in 仲裁 or a name.
  ['仲(?=[未有要系是唔不冇没想喺在会])', '还', '仲未到'],
  ['(?<=[0-9一二两三四五六七八九十百千万几])蚊', '块', '五蚊'],
  ['(?<=[加退攞拿俾畀给找])返', '回', '加返'],
];

const CANTONESE = new RegExp(FOLDS.map(([source]) => `(${source})`).join('|'), 'g');

/** Characters only Cantonese writes (or Mandarin rarely): any of them is worth a look for a fold. */
const SINGLE = codeUnitSet('唔冇咗嘅俾畀喺啲佢哋嗰嚟睇揾攞乜咩嘢咁噉仲蚊返掂咪');
/** A common character starts a fold only before one of these (听日, 今日, 而家, 点解, 边度…). */
const PAIRS: Readonly<Record<string, string>> = {
  听: '日朝晚',
  琴: '日',
  寻: '日',
  今: '日',
  而: '家',
  依: '家',
  点: '解样',
  几: '多',
  边: '度个间',
};
const PAIR_FIRST = codeUnitSet(Object.keys(PAIRS).join(''));

/** Whether the text holds anything a fold starts with; most Mandarin text holds nothing and is not searched. */
export function mayBeCantonese(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (SINGLE[c]) return true;
    if (PAIR_FIRST[c] && i + 1 < text.length && PAIRS[text[i]!]!.includes(text[i + 1]!)) return true;
  }
  return false;
}

/** The text with written Cantonese words read as Mandarin; Mandarin and other text stay as they are. */
export function foldCantonese(text: string): string {
  if (!mayBeCantonese(text)) return text;
  return text.replace(CANTONESE, (...groups: unknown[]) => {
    // Exactly one alternative matched: its group (1-based) says which fold it is.
    for (let g = 1; g <= FOLDS.length; g++) if (groups[g] !== undefined) return FOLDS[g - 1]![1];
    return groups[0] as string;
  });
}
