import type { Messages } from './catalogue.ts';

/** What a recorded deal is told with; `money` is already written out (`money(amount, currency)`). */
type DealRecorded = { updated: boolean; who: string; money: string; stage: string; probability: number };
/** One open deal as the customer card lists it. */
type DealLine = {
  title: string;
  money: string;
  stage: string;
  probability: number;
  closeDate: string | null;
};
/** A count of open deals with their amount and weighted amount, written out. */
type Sums = { count: number; amount: string; weighted: string };

/** Deals (opportunities): `/deal`, the forecast `/pipeline`, and how a deal reads on the customer card. */
const zh = {
  deal: {
    usage: '/deal 商机 <客户> [新] <金额> <阶段> [预计成交日 YYYY-MM-DD] [名称]',
    summary: '记录商机（金额、阶段、赢率）；加「新」再开一个',
    badAmount: (typed: string) => `金额「${typed}」看不懂，例如 50000、5万、12k。`,
    unknownStage: (typed: string, help: string) => `没有「${typed}」这个商机阶段。\n${help}`,
    badDate: (typed: string) => `预计成交日「${typed}」不是有效日期，例如 2027-03-31。`,
    badTitle: (max: number) => `商机名称最多 ${max} 个字。`,
    recorded: (d: DealRecorded) =>
      `商机已${d.updated ? '更新' : '创建'}：${d.who} · ${d.money} · ${d.stage}（赢率 ${d.probability}%）`,
  },
  pipeline: {
    usage: '/pipeline 预测',
    summary: '销售预测：未结商机按阶段的金额与加权金额',
    head: '销售预测（你范围内的未结商机；加权 = 金额 × 赢率）：',
    none: '你范围内没有未结商机。开一个：/deal <客户> 新 <金额> <阶段>',
    currency: (currency: string, s: Sums) =>
      `${currency}：${s.count} 个商机 · 金额 ${s.amount} · 加权 ${s.weighted}`,
    stage: (stage: string, probability: number, s: Sums) =>
      `  ${stage}（${probability}%）：${s.count} 个 · ${s.amount} · 加权 ${s.weighted}`,
  },
};

const en: Messages<typeof zh> = {
  deal: {
    usage: '/deal <customer> [new] <amount> <stage> [close date YYYY-MM-DD] [title]',
    summary: 'record an opportunity (amount, stage, probability); `new` opens another',
    badAmount: (typed) => `"${typed}" is not an amount, e.g. 50000, 12k.`,
    unknownStage: (typed, help) => `No deal stage "${typed}".\n${help}`,
    badDate: (typed) => `"${typed}" is not a close date, e.g. 2027-03-31.`,
    badTitle: (max) => `A deal's title is at most ${max} characters.`,
    recorded: (d) =>
      `Deal ${d.updated ? 'updated' : 'opened'}: ${d.who} · ${d.money} · ${d.stage} (${d.probability}% likely)`,
  },
  pipeline: {
    usage: '/pipeline',
    summary: 'sales forecast: open deals per stage, amount and weighted amount',
    head: 'Forecast (open deals in your scope; weighted = amount × probability):',
    none: 'No open deals in your scope. Open one: /deal <customer> new <amount> <stage>',
    currency: (currency, s) =>
      `${currency}: ${s.count} deal(s) · amount ${s.amount} · weighted ${s.weighted}`,
    stage: (stage, probability, s) =>
      `  ${stage} (${probability}%): ${s.count} · ${s.amount} · weighted ${s.weighted}`,
  },
};

const zhViews = {
  deals: {
    /** An amount with its currency: yuan read as 元 in Chinese. */
    money: (amount: string, currency: string) =>
      currency === 'CNY' ? `${amount} 元` : `${amount} ${currency}`,
    cardLine: (d: DealLine) =>
      `${d.title} · ${d.money} · ${d.stage} ${d.probability}%${d.closeDate ? ` · 预计 ${d.closeDate} 成交` : ''}`,
  },
};

const enViews: Messages<typeof zhViews> = {
  deals: {
    money: (amount, currency) => `${amount} ${currency}`,
    cardLine: (d) =>
      `${d.title} · ${d.money} · ${d.stage} ${d.probability}%${d.closeDate ? ` · closes ${d.closeDate}` : ''}`,
  },
};

export const dealCommands = { zh, en };
export const dealViews = { zh: zhViews, en: enViews };
