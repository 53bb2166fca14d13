// The `/find` benchmark's dataset: customers with realistic Chinese names, companies and phones, owned by staff in a
// team tree, and their messages; generated once into a SQLite file migrated with the project's migrations, reused.
import { existsSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { migrateToLatest } from '../db/migrate.ts';
import { openSqlite } from '../db/sqlite.ts';
import {
  buildSearchText,
  SEARCH_KEYS_VERSION,
  searchKeys,
} from '../src/core/records/customers/search-text.ts';

/** Bumped when what is generated changes, so a cached file of an older shape is not reused. */
const DATA_VERSION = 4;

// Surnames with their weight (per mille of the population, roughly the census order).
const SURNAMES = [
  '王71 李70 张67 刘54 陈45 杨31 黄22 赵22 吴20 周19 徐15 孙14 马13 朱12 胡12 郭11 何10 高9 林9 罗9',
  '郑8 梁8 谢6 宋6 唐6 许5 韩5 冯5 邓5 曹5 彭5 曾5 肖4 田4 董4 袁4 潘4 于4 蒋4 蔡4',
  '余4 杜3 叶3 程3 苏3 魏3 吕3 丁3 任3 沈3 姚3 卢2 姜2 崔2 钟2 谭2 陆2 汪2 范2 金2',
]
  .join(' ')
  .split(' ')
  .map((w) => [w.slice(0, 1), Number(w.slice(1))] as const);
const GIVEN = Array.from(
  new Set(
    '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉华飞鹏辉建国红梅琳丹萍鑫波斌宇浩凯健俊帆帅旭龙林欣佳文博子轩涵雨泽晨然思怡梓晗诺嘉瑞海峰云雪婷玲燕莉倩颖琴慧巧美娇淑惠珠翠雅芝凤洁蓉君素莲真环菊荣爱妹香月莺媛瑶婵雁蓓仪荷蕊薇菁梦岚苑婕馨琰韵园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁育滢馥筠柔竹凝晓欢霄枫芸菲寒伊亚宜可舒影荔阳妮宝初程恒鸿桦剑纪宽灵琪晴容睿烁唯威雯萱彦忠宗曼紫逸贤蝶菡蓝儿小志永春秋',
  ),
);
const ENGLISH_FIRST =
  'Alice Bob Michael David Jenny Kevin Lucy Tony Grace Eric Anna Ben Chloe Daniel Emma Frank Helen Ivan Jack Kate Leo Mia Nina Oscar Paul Rose Sam Tina Victor Wendy'.split(
    ' ',
  );
const ENGLISH_LAST =
  'Chen Wong Lee Smith Lam Ng Tan Brown Liu Ho Cheung Chan Lau Yip Kwok Tsang Leung Ma Yu Zhou Miller Davis Clark Lewis Young King Scott Green Baker Adams'.split(
    ' ',
  );
const CITIES = [
  '北京',
  '上海',
  '深圳',
  '广州',
  '杭州',
  '成都',
  '武汉',
  '南京',
  '苏州',
  '西安',
  '重庆',
  '厦门',
];
const BRAND_CHARS = Array.from('华信达宏创科盛恒鑫源通泰联合安康瑞祥德隆兴旺宇博远航天润佳美中');
const INDUSTRIES = [
  '科技',
  '贸易',
  '电子',
  '实业',
  '网络',
  '物流',
  '餐饮',
  '教育',
  '医疗',
  '建材',
  '服装',
  '传媒',
];
const MOBILE = [
  '138',
  '139',
  '137',
  '136',
  '135',
  '150',
  '151',
  '152',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
];
const WORDS = [
  '你好',
  '价格多少',
  '什么时候发货',
  '好的谢谢',
  '可以便宜点吗',
  '收到',
  '明天联系',
  '发个报价单',
];

export interface FindData {
  file: string;
  customers: number;
  messages: number;
  /** Seconds spent generating (0 when a cached file was reused). */
  generatedSeconds: number;
  adminId: number;
  repId: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so the same parameters give the same dataset. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const surnameTotal = SURNAMES.reduce((s, [, w]) => s + w, 0);
/** Names drawn like real ones: weighted surnames, given characters by a Zipf-like law (the most used ~2%), many duplicates. */
export function chineseName(rnd: () => number, given: 1 | 2): string {
  let pick = rnd() * surnameTotal;
  let surname = '王';
  for (const [s, w] of SURNAMES) {
    pick -= w;
    if (pick < 0) {
      surname = s;
      break;
    }
  }
  const char = () => GIVEN[Math.floor(GIVEN.length * rnd() ** 1.5)] ?? '伟';
  return surname + char() + (given === 2 ? char() : '');
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
export const brandWord = (rnd: () => number) => pick(rnd, BRAND_CHARS) + pick(rnd, BRAND_CHARS);
export const industry = (rnd: () => number) => pick(rnd, INDUSTRIES);
const mobile = (rnd: () => number) => pick(rnd, MOBILE) + String(Math.floor(rnd() * 1e8)).padStart(8, '0');

/** Opens the cached dataset for these sizes, generating it first when missing or of another version. */
export async function findData(dir: string, customers: number, messages: number): Promise<FindData> {
  const file = `${dir}/find-${customers}-${messages}-v${DATA_VERSION}.sqlite`;
  const complete = existsSync(file) && userVersion(file) === 1;
  const started = Date.now();
  if (!complete) {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    const kysely = openSqlite(file);
    await migrateToLatest(kysely);
    await kysely.destroy();
    generate(file, customers, messages);
  } else {
    const kysely = openSqlite(file);
    await migrateToLatest(kysely); // later migrations of the project, if any
    await kysely.destroy();
    refreshKeys(file);
  }
  const raw = new BetterSqlite3(file, { readonly: true });
  const staffId = (role: string) =>
    (raw.prepare('select min(id) as id from staff where role = ?').get(role) as { id: number }).id;
  const data = { adminId: staffId('admin'), repId: staffId('rep') };
  raw.close();
  return {
    file,
    customers,
    messages,
    generatedSeconds: complete ? 0 : (Date.now() - started) / 1000,
    ...data,
  };
}

function userVersion(file: string): unknown {
  const db = new BetterSqlite3(file, { readonly: true });
  const version = db.pragma('user_version', { simple: true });
  db.close();
  return version;
}

function generate(file: string, customers: number, messages: number): void {
  const db = new BetterSqlite3(file);
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -524288'); // 512 MiB while the indexes grow
  const rnd = random(20261129);
  const now = Date.UTC(2026, 10, 29);
  const day = 86_400_000;
  // A company, 4 regions, 20 teams; 1 admin, 1 director, a manager per team and 178 reps.
  const team = db.prepare('insert into teams (name, parent_id, created_at) values (?, ?, ?)');
  const staff = db.prepare(
    'insert into staff (display_name, role, team_id, language, active, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?)',
  );
  const root = Number(team.run('总部', null, now).lastInsertRowid);
  const owners: number[] = [];
  staff.run('管理员', 'admin', root, 'zh', now, now);
  staff.run('总监', 'director', root, 'zh', now, now);
  for (let r = 0; r < 4; r++) {
    const region = Number(team.run(`大区${r + 1}`, root, now).lastInsertRowid);
    for (let t = 0; t < 5; t++) {
      const id = Number(team.run(`销售${r * 5 + t + 1}组`, region, now).lastInsertRowid);
      owners.push(Number(staff.run(chineseName(rnd, 2), 'manager', id, 'zh', now, now).lastInsertRowid));
      for (let s = 0; s < (r * 5 + t < 18 ? 9 : 8); s++)
        owners.push(Number(staff.run(chineseName(rnd, 2), 'rep', id, 'zh', now, now).lastInsertRowid));
    }
  }
  const customer = db.prepare(
    `insert into customers (id, display_name, company, phone, email, owner_staff_id, stage, language, source,
       do_not_contact, merged_into_id, origin_key, search_text, first_contact_at, last_contact_at, last_inbound_at,
       last_outbound_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'zh', 'telegram', 0, null, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const gram = db.prepare('insert into customer_search_grams (gram, customer_id) values (?, ?)');
  const chat = db.prepare(
    `insert into chats (id, platform, workspace, external_key, platform_chat_id, kind, title, connection_id,
       customer_id, created_at, updated_at) values (?, 'telegram', '', ?, ?, 'private', null, null, ?, ?, ?)`,
  );
  const message = db.prepare(
    `insert into messages (chat_id, customer_id, platform, platform_message_id, direction, author_kind,
       author_staff_id, content_type, text, reply_to_platform_message_id, sent_at, received_at, edited_at,
       deleted_at, attachment) values (?, ?, 'telegram', ?, ?, ?, null, 'text', ?, null, ?, ?, null, null, null)`,
  );
  const stages = ['lead', 'lead', 'lead', 'interested', 'won', 'repeat', 'lost'];
  const perCustomer = messages / customers;
  let written = 0;
  const started = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const english = rnd() < 0.05;
      const name = english
        ? `${pick(rnd, ENGLISH_FIRST)} ${pick(rnd, ENGLISH_LAST)}`
        : chineseName(rnd, rnd() < 0.45 ? 1 : 2);
      const company = rnd() < 0.7 ? `${pick(rnd, CITIES)}${brandWord(rnd)}${industry(rnd)}有限公司` : null;
      const phone = rnd() < 0.85 ? (rnd() < 0.3 ? '+86' : '') + mobile(rnd) : null;
      const email = rnd() < 0.25 ? `${pick(rnd, ENGLISH_FIRST).toLowerCase()}${id}@qq.com` : null;
      const username = rnd() < 0.1 ? `user_${id.toString(36)}` : null;
      const searchText = buildSearchText([name, company, email, username], phone);
      // Messages: skewed counts (many quiet customers, a few chatty ones), the last remaining ones on the last.
      const left = messages - written;
      const count =
        id === customers ? left : Math.min(left, Math.floor(-Math.log(1 - rnd()) * perCustomer + 0.5));
      const first = now - Math.floor(rnd() * 1000 * day);
      const times = Array.from({ length: count }, () => first + Math.floor(rnd() * (now - first)));
      times.sort((a, b) => a - b);
      const last = times.length ? (times[times.length - 1] as number) : null;
      const owner = rnd() < 0.03 ? null : pick(rnd, owners);
      customer.run(
        id,
        name,
        company,
        phone,
        email,
        owner,
        pick(rnd, stages),
        `bench:${id}`,
        searchText,
        first,
        last,
        last,
        last,
        first,
        last ?? first,
      );
      for (const key of searchKeys(searchText)) gram.run(key, id);
      chat.run(id, `c${id}`, `c${id}`, id, first, first);
      times.forEach((at, i) => {
        const inbound = rnd() < 0.6;
        message.run(
          id,
          id,
          String(i + 1),
          inbound ? 'in' : 'out',
          inbound ? 'customer' : 'staff',
          pick(rnd, WORDS),
          at,
          at,
        );
      });
      written += count;
    }
  });
  const step = 10_000;
  for (let from = 1; from <= customers; from += step) {
    batch(from, Math.min(customers + 1, from + step));
    if ((from - 1) % 100_000 === 0 || from + step > customers)
      console.log(
        `  generated ${Math.min(customers, from + step - 1).toLocaleString()} customers, ${written.toLocaleString()} messages (${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  recordKeysVersion(db);
  db.pragma('user_version = 1');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** The version of `searchKeys` the dataset's keys were made with, as the app records it (`derived_data`). */
function recordKeysVersion(db: BetterSqlite3.Database): void {
  db.prepare(
    `insert into derived_data (name, version, built_at) values ('search_keys', ?, ?)
     on conflict (name) do update set version = excluded.version, built_at = excluded.built_at`,
  ).run(SEARCH_KEYS_VERSION, Date.now());
}

/** Keys made by another version of `searchKeys` are made again from the stored search text: minutes, not a new dataset. */
function refreshKeys(file: string): void {
  const db = new BetterSqlite3(file);
  const stored = db.prepare(`select version from derived_data where name = 'search_keys'`).get() as
    | { version: number }
    | undefined;
  if (stored?.version === SEARCH_KEYS_VERSION) return void db.close();
  const started = Date.now();
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  db.exec('delete from customer_search_grams');
  const gram = db.prepare('insert into customer_search_grams (gram, customer_id) values (?, ?)');
  const page = db.prepare(
    'select id, search_text from customers where merged_into_id is null and id > ? order by id limit 10000',
  );
  let after = 0;
  const batch = db.transaction((rows: Array<{ id: number; search_text: string }>) => {
    for (const r of rows) for (const key of searchKeys(r.search_text)) gram.run(key, r.id);
  });
  for (;;) {
    const rows = page.all(after) as Array<{ id: number; search_text: string }>;
    if (rows.length === 0) break;
    batch(rows);
    after = rows[rows.length - 1]?.id ?? after;
  }
  recordKeysVersion(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(
    `  search keys rebuilt (version ${SEARCH_KEYS_VERSION}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

/** Tags of the console-list dataset with their share of customers (a few common ones, a long tail). */
const LIST_TAGS = [0.3, 0.2, 0.12, 0.08, 0.05, 0.04, 0.03, 0.02, 0.015, 0.01];

/**
 * What the console's customer list filters on, added to a dataset once (bench/console-list.ts): a last contact for
 * 90% of customers when they have no messages, tags (0-3 each), and a source (channel code) for a third of them.
 */
export function addListExtras(file: string): void {
  const db = new BetterSqlite3(file);
  const done = (db.prepare('select count(*) as n from channel_codes').get() as { n: number }).n > 0;
  if (done) return void db.close();
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const rnd = random(20261206);
  const now = Date.UTC(2026, 11, 6);
  const day = 86_400_000;
  const customers = (db.prepare('select max(id) as n from customers').get() as { n: number }).n;
  const tag = db.prepare('insert into tags (name, group_name, created_at) values (?, null, ?)');
  const tagIds = LIST_TAGS.map((_, i) => Number(tag.run(`标签${i + 1}`, now).lastInsertRowid));
  const code = db.prepare(
    `insert into channel_codes (code, name, kind, platform, workspace, active, created_at, updated_at)
     values (?, ?, 'contact', 'telegram', '', 1, ?, ?)`,
  );
  const codes = Array.from({ length: 20 }, (_, i) => {
    const key = `ch${i + 1}`;
    return { key, id: Number(code.run(key, `渠道${i + 1}`, now, now).lastInsertRowid) };
  });
  const contact = db.prepare(
    'update customers set last_contact_at = ?, updated_at = ? where id = ? and last_contact_at is null',
  );
  const tagged = db.prepare(
    `insert into customer_tags (customer_id, tag_id, source, created_at) values (?, ?, 'rule', ?)`,
  );
  const source = db.prepare(
    `insert into customer_sources (customer_id, channel_code_id, code, platform, at, source_key, created_at)
     values (?, ?, ?, 'telegram', ?, ?, ?)`,
  );
  const batch = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      if (rnd() < 0.9) {
        const at = now - Math.floor(rnd() ** 2 * 1000 * day);
        contact.run(at, at, id);
      }
      LIST_TAGS.forEach((share, i) => {
        if (rnd() < share) tagged.run(id, tagIds[i], now);
      });
      if (rnd() < 0.35) {
        const c = codes[Math.floor(codes.length * rnd() ** 2)] as (typeof codes)[number];
        source.run(id, c.id, c.key, now, `bench:${id}`, now);
      }
    }
  });
  for (let from = 1; from <= customers; from += 10_000) batch(from, Math.min(customers + 1, from + 10_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
