import type { Random } from './random.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** What customers write, by how far along they are; several lines trip the shipped tag rules (询价, 合同, 物流…). */
const CUSTOMER_LINES: Record<string, string[]> = {
  lead: [
    '你好，在网上看到你们的产品，想了解一下',
    '请问这款现在多少钱？',
    '能发一份报价单给我吗？',
    '朋友推荐的，想问问你们的服务',
    '你们支持开专票吗',
    '有没有产品目录可以发我看看',
  ],
  interested: [
    '价格能不能再优惠一点？',
    '如果我们一次订500件，单价能降多少',
    '我们下个月准备采购一批，想先拿样品',
    '同样的配置别家便宜不少，你们太贵了',
    '我跟老板商量一下再回复你',
    '交货期大概要多久？',
  ],
  won: [
    '合同已经盖章寄回了，请查收',
    '货什么时候发货？物流单号发我一下',
    '款已经付了，麻烦安排发货',
    '收到货了，质量不错',
  ],
  repeat: ['老样子再来一批，数量跟上次一样', '这次想加几个新款，有推荐吗', '上个月的发票还没收到'],
  lost: [
    '暂时不需要了，谢谢',
    '我们已经找了别家',
    '上次的货有质量问题，很失望，要投诉',
    '申请退款，东西坏了',
  ],
};
const STAFF_LINES = [
  '您好，报价单已经发到您邮箱了，请查收',
  '好的，我这边确认一下库存再回复您',
  '这个价格已经是底价了，量大可以再申请',
  '样品今天安排寄出，顺丰到付',
  '合同我这边今天寄出',
  '收到，马上安排售后同事跟进',
  '好的，有需要随时联系我',
  '明天给您打电话详细沟通',
];
const FOLLOW_UPS = ['好的，谢谢', '收到', '那我等你消息', '可以，就这么定', '嗯嗯'];

export interface DemoMessage {
  direction: 'in' | 'out';
  text: string;
  sentAt: number;
  /** Replies are by the customer's owner (or another rep for an unowned customer). */
  byStaff: boolean;
}

export interface DemoBurst {
  startedAt: number;
  lastMessageAt: number;
  answered: boolean;
}

export interface DemoConversation {
  firstContactAt: number;
  messages: DemoMessage[];
  bursts: DemoBurst[];
}

/**
 * A customer's history: when they first came, then a few exchanges, each the customer writing and a person answering
 * minutes to hours later. Some customers went quiet a month or more ago (stale); some wrote last and wait for an
 * answer; some new ones came this week.
 */
export function demoConversation(random: Random, stage: string, now: number): DemoConversation {
  const recency = random.weighted([
    ['active', 55],
    ['cooling', 25],
    ['stale', 20],
  ] as const);
  const lastDaysAgo =
    recency === 'active'
      ? random.next() * 6.5
      : recency === 'cooling'
        ? random.int(8, 28)
        : random.int(32, 90);
  const lastAt = now - Math.round(lastDaysAgo * DAY) - random.int(5, 120) * MINUTE;
  const firstContactAt = lastAt - (random.chance(0.12) ? random.int(0, 2) : random.int(3, 110)) * DAY;
  // Exchanges at least six hours apart, so no two bursts of a customer start together.
  const count = Math.min(
    random.int(1, 5),
    Math.max(1, Math.floor((lastAt - firstContactAt) / (6 * 60 * MINUTE))),
  );
  const starts = Array.from({ length: count }, (_, i) =>
    i === count - 1
      ? lastAt
      : firstContactAt + Math.round(((lastAt - firstContactAt) * (i + random.next())) / count),
  ).sort((a, b) => a - b);
  const waits = recency === 'active' && random.chance(0.3);
  const messages: DemoMessage[] = [];
  const bursts: DemoBurst[] = [];
  const lines = CUSTOMER_LINES[stage] ?? CUSTOMER_LINES.lead ?? [];
  starts.forEach((start, i) => {
    let at = start;
    const written = random.int(1, 3);
    for (let k = 0; k < written; k++) {
      messages.push({
        direction: 'in',
        text: k === 0 ? random.pick(lines) : random.pick(FOLLOW_UPS),
        sentAt: at,
        byStaff: false,
      });
      at += random.int(1, 4) * MINUTE;
    }
    const last = i === starts.length - 1;
    const answered = !(last && waits);
    bursts.push({ startedAt: start, lastMessageAt: at - MINUTE, answered });
    if (!answered) return;
    const delay = random.weighted([
      [random.int(2, 30), 60],
      [random.int(31, 240), 30],
      [random.int(241, 1440), 10],
    ] as const);
    const replyAt = Math.min(at + delay * MINUTE, now - MINUTE);
    messages.push({ direction: 'out', text: random.pick(STAFF_LINES), sentAt: replyAt, byStaff: true });
  });
  const inOrder = messages.filter((m) => m.sentAt < now).sort((a, b) => a.sentAt - b.sentAt);
  return { firstContactAt, messages: inOrder, bursts };
}
