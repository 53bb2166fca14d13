import type { Random } from './random.ts';

// Common surnames (roughly by frequency) and given-name characters, with pinyin for email addresses.
const SURNAMES: ReadonlyArray<readonly [string, string, number]> = [
  ['王', 'wang', 10],
  ['李', 'li', 10],
  ['张', 'zhang', 9],
  ['刘', 'liu', 8],
  ['陈', 'chen', 8],
  ['杨', 'yang', 5],
  ['黄', 'huang', 5],
  ['赵', 'zhao', 4],
  ['吴', 'wu', 4],
  ['周', 'zhou', 4],
  ['徐', 'xu', 3],
  ['孙', 'sun', 3],
  ['马', 'ma', 3],
  ['朱', 'zhu', 3],
  ['胡', 'hu', 3],
  ['郭', 'guo', 2],
  ['何', 'he', 2],
  ['林', 'lin', 3],
  ['罗', 'luo', 2],
  ['梁', 'liang', 3],
  ['郑', 'zheng', 2],
  ['谢', 'xie', 2],
  ['宋', 'song', 2],
  ['唐', 'tang', 2],
  ['许', 'xu', 2],
  ['邓', 'deng', 2],
  ['冯', 'feng', 2],
  ['韩', 'han', 1],
  ['曾', 'zeng', 2],
  ['彭', 'peng', 1],
  ['叶', 'ye', 2],
  ['蔡', 'cai', 2],
  ['潘', 'pan', 1],
  ['钟', 'zhong', 1],
  ['卢', 'lu', 1],
  ['苏', 'su', 1],
];
const GIVEN: ReadonlyArray<readonly [string, string]> = [
  ['芳', 'fang'],
  ['伟', 'wei'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['洋', 'yang'],
  ['艳', 'yan'],
  ['勇', 'yong'],
  ['军', 'jun'],
  ['杰', 'jie'],
  ['娟', 'juan'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀', 'xiu'],
  ['霞', 'xia'],
  ['平', 'ping'],
  ['刚', 'gang'],
  ['桂', 'gui'],
  ['英', 'ying'],
  ['华', 'hua'],
  ['建', 'jian'],
  ['文', 'wen'],
  ['辉', 'hui'],
  ['玲', 'ling'],
  ['斌', 'bin'],
  ['丽', 'li'],
  ['婷', 'ting'],
  ['鑫', 'xin'],
  ['宇', 'yu'],
  ['浩', 'hao'],
  ['凯', 'kai'],
  ['佳', 'jia'],
  ['欣', 'xin'],
  ['雪', 'xue'],
  ['晨', 'chen'],
  ['思', 'si'],
  ['琳', 'lin'],
  ['志', 'zhi'],
  ['嘉', 'jia'],
];
const BRANDS = [
  '恒信',
  '华锐',
  '德润',
  '美居',
  '宏达',
  '金盛',
  '鑫源',
  '永利',
  '正泰',
  '嘉华',
  '新宝',
  '汇丰',
  '利达',
  '天润',
  '盛世',
  '锦程',
  '博雅',
  '联创',
  '瑞丰',
  '中信',
  '广润',
  '粤海',
  '南方',
  '安达',
  '鸿运',
  '立信',
  '卓越',
  '万通',
];
const TRADES = [
  '贸易',
  '科技',
  '电子',
  '家具',
  '五金',
  '服装',
  '食品',
  '物流',
  '建材',
  '陶瓷',
  '照明',
  '包装',
  '机械',
  '塑胶',
  '化工',
  '医疗器械',
  '餐饮管理',
  '文化传媒',
];
const MOBILE_PREFIXES = [
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '159',
  '186',
  '187',
  '188',
  '189',
];

export interface DemoPerson {
  name: string;
  company: string | null;
  phone: string;
  email: string | null;
}

/**
 * A stream of distinct, realistic customers: a Chinese name (two or three characters), a company named as
 * companies in the team's city are (广州市恒信贸易有限公司), a unique mobile number, and sometimes an email.
 */
export function demoPeople(random: Random): (city: string | null) => DemoPerson {
  const phones = new Set<string>();
  const namesAtCompanies = new Set<string>();
  return (city) => {
    for (;;) {
      const [surname, surnamePinyin] = random.weighted(
        SURNAMES.map(([s, p, w]) => [[s, p] as const, w] as const),
      );
      const given = Array.from({ length: random.chance(0.35) ? 1 : 2 }, () => random.pick(GIVEN));
      const name = surname + given.map(([c]) => c).join('');
      const place = city ?? random.pick(['广州', '深圳', '东莞', '佛山']);
      const company = random.chance(0.12)
        ? null
        : `${random.chance(0.5) ? `${place}市` : place}${random.pick(BRANDS)}${random.pick(TRADES)}有限公司`;
      const key = `${name}|${company ?? ''}`;
      const phone = random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
      if (namesAtCompanies.has(key) || phones.has(phone)) continue;
      namesAtCompanies.add(key);
      phones.add(phone);
      const pinyin = surnamePinyin + given.map(([, p]) => p).join('');
      const email = random.chance(0.35)
        ? random.chance(0.5)
          ? `${random.int(100_000_000, 2_999_999_999)}@qq.com`
          : `${pinyin}${random.int(1, 99)}@163.com`
        : null;
      return { name, company, phone, email };
    }
  };
}
