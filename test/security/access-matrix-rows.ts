import { API_TOKEN, FIXTURE_TIME } from '../helpers/harness.ts';
import { ACTOR, type Policy, type World } from './access-matrix-world.ts';

// The rows of the access matrix: for every chat command and every API operation, what the actor tries in a cell and
// how we tell whether it was done. The expected outcome comes from the row's policy and the column (the placement).

export interface Row {
  /** Chat: the command's name (a row per variant is fine). API: `METHOD /api/path` as in the OpenAPI document. */
  key: string;
  label: string;
  policy: Policy;
  /** Tries it; true when it was done (read: the object shown; write: the change made), false when refused. */
  attempt(w: World): Promise<boolean>;
}

type Answer = { status: number; body: unknown };

/** 2xx: done; 403 or 404: refused; anything else means the row itself is wrong. */
export function byStatus(res: Answer): boolean {
  if (res.status >= 200 && res.status < 300) return true;
  if (res.status === 403 || res.status === 404) return false;
  throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** A list answer that holds the object (refused: an error, or a list without it). */
export function listed(res: Answer, id: number): boolean {
  if (!byStatus(res)) return false;
  const items = (res.body as { items?: Array<{ id: number }> }).items ?? [];
  return items.some((i) => i.id === id);
}

/** Runs `act` and tells whether an audited write happened meanwhile. */
async function wrote(w: World, act: () => Promise<unknown>): Promise<boolean> {
  const mark = await w.auditMark();
  await act();
  return (await w.writesSince(mark)).length > 0;
}

let made = 0;
/** A name no other cell uses. */
const unique = (prefix: string) => `${prefix}${++made}`;
const REP_A = '5470000002';

/**
 * An open deal on this cell's customer; `currency` gives it a code no other cell uses, so a forecast shows whether
 * this very deal is in it.
 */
async function deal(w: World, currency = 'CNY'): Promise<{ id: number; customerId: number }> {
  const c = await w.customer();
  const row = await w.h.db
    .insertInto('deals')
    .values({
      customer_id: c.id,
      title: `矩阵商机${c.id}`,
      amount_minor: 100_000,
      currency,
      stage: 'proposal',
      probability: 40,
      owner_staff_id: null,
      created_at: FIXTURE_TIME,
      updated_at: FIXTURE_TIME,
      closed_at: null,
      request_key: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), customerId: c.id };
}

/** A currency code (three capitals) no other cell uses. */
const uniqueCurrency = () => {
  const n = ++made;
  const letter = (i: number) => String.fromCharCode(65 + (i % 26));
  return `Q${letter(Math.floor(n / 26))}${letter(n)}`;
};

/**
 * A quick reply of this cell's objects' owner: team A's (made by A's manager), team B's, or, for the actor's own
 * objects, the organisation's (no team), which only directors and admins change.
 */
async function quickReply(w: World): Promise<{ id: number; key: string }> {
  const key = unique('matrix');
  const o = w.placement.objects;
  const row = await w.h.db
    .insertInto('quick_replies')
    .values({
      owner_team_id: o === 'actor' ? null : w.teams[o === 'teamA' ? 'A' : 'B'],
      key,
      text: `矩阵话术${key}`,
      created_by_staff_id:
        o === 'actor' ? w.staff.actor : o === 'teamA' ? w.staff.managerA : w.staff.managerB,
      request_key: null,
      created_at: FIXTURE_TIME,
      updated_at: FIXTURE_TIME,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), key };
}

/** The team of this cell's objects (null: the organisation), where a new quick reply is asked for. */
const cellTeam = (w: World): number | null =>
  w.placement.objects === 'actor' ? null : w.teams[w.placement.objects === 'teamA' ? 'A' : 'B'];
const GROUP_CHAT = -1002233445566;

/** A message of a customer of this cell, with its file kept (status `stored`): its id. */
async function keptFileMessage(w: World): Promise<number> {
  const customer = await w.writingCustomer();
  const message = await w.h.db
    .selectFrom('messages')
    .select('id')
    .where('customer_id', '=', customer.id)
    .executeTakeFirstOrThrow();
  await w.h.db
    .insertInto('message_files')
    .values({
      message_id: message.id,
      status: 'stored',
      storage_key: `messages/${message.id}/matrix`,
      content_type: 'image/jpeg',
      size: 10,
      attempts: 1,
      retry_at: 0,
      last_error: null,
      created_at: FIXTURE_TIME,
      updated_at: FIXTURE_TIME,
    })
    .execute();
  return Number(message.id);
}

const chat = (key: string, label: string, policy: Policy, attempt: Row['attempt']): Row => ({
  key,
  label,
  policy,
  attempt,
});

export const CHAT_ROWS: Row[] = [
  chat('help', '/help', 'everyone', async (w) => (await w.ask('/help')).includes('/find')),
  chat('find', '/find <name>', 'customer', async (w) => {
    const c = await w.customer();
    // A refusal repeats the query, never the id.
    return (await w.ask(`/find ${c.name}`)).includes(`#${c.id}`);
  }),
  chat('show', '/show #id', 'customer', async (w) => {
    const c = await w.customer();
    return (await w.ask(`/show #${c.id}`)).includes(c.name);
  }),
  chat('reply', '/reply #id', 'customer', async (w) => {
    const c = await w.writingCustomer();
    return wrote(w, () => w.ask(`/reply #${c.id} 您好`));
  }),
  chat('draft', '/draft #id', 'customer', async (w) => {
    const c = await w.writingCustomer();
    const answer = await w.ask(`/draft #${c.id}`);
    return answer.includes(`给 #${c.id} `) || answer.includes(`reply to #${c.id} `);
  }),
  chat('quick', '/quick list <key>', 'marketing-read', async (w) => {
    const q = await quickReply(w);
    return (await w.ask(`/quick list ${q.key}`)).includes(`:${q.key}`);
  }),
  chat('quick', '/quick add (their team’s, or the organisation’s)', 'team-writer', async (w) =>
    wrote(w, () => w.ask(`/quick add ${unique('matrix')} 矩阵话术`)),
  ),
  chat('quick', '/快捷 删除 #id', 'team-change', async (w) => {
    const q = await quickReply(w);
    return wrote(w, () => w.ask(`/快捷 删除 #${q.id}`));
  }),
  chat('handoff', '/handoff #id (reaches the customer; no session to hand)', 'customer', async (w) => {
    const c = await w.customer();
    // In scope it answers about the customer by name; out of scope as if they did not exist.
    return (await w.ask(`/handoff #${c.id}`)).includes(c.name);
  }),
  chat('mine', '/mine', 'own-customers', async (w) => {
    const c = await w.customer();
    return (await w.ask('/mine')).includes(c.name);
  }),
  chat('stale', '/stale (my customers)', 'own-customers', async (w) => {
    const c = await w.customer(undefined, { oldest: true });
    return (await w.ask('/stale 30')).includes(c.name);
  }),
  chat('tag', '/tag #id', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/tag #${c.id} 矩阵手工`));
  }),
  chat('untag', '/untag #id', 'customer', async (w) => {
    const c = await w.customer();
    const tag = await w.tagged(c.id);
    return wrote(w, () => w.ask(`/untag #${c.id} ${tag}`));
  }),
  chat('note', '/note #id', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/note #${c.id} 回访过`));
  }),
  chat('stage', '/stage #id', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/stage #${c.id} 意向`));
  }),
  chat('deal', '/deal #id', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/deal #${c.id} 5000 方案报价`));
  }),
  chat('deal', '/deal #id new (another open deal)', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/deal #${c.id} new 5000 方案报价 矩阵第二单`));
  }),
  chat('pipeline', '/pipeline (the forecast holds the cell’s deal)', 'customer', async (w) => {
    const currency = uniqueCurrency();
    await deal(w, currency);
    return (await w.ask('/pipeline')).includes(`${currency}：`);
  }),
  chat('assign', '/assign #id to themselves', 'customer', async (w) => {
    // Their own customer is theirs already: in scope they claim one from the unowned pool (公海) instead.
    const c = await w.customer(w.placement.customerOwner === 'actor' ? 'none' : 'repA');
    return wrote(w, () => w.ask(`/assign #${c.id} telegram:${ACTOR}`));
  }),
  chat('remind', '/remind #id', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/remind #${c.id} 明天10点 回电`));
  }),
  chat('dnc', '/dnc #id on', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/dnc #${c.id} 开`));
  }),
  chat('dupes', '/dupes #id', 'customer', async (w) => {
    const c = await w.customer();
    return (await w.ask(`/dupes #${c.id}`)).includes(c.name);
  }),
  chat('dupes', '/dupes 忽略 #a #b', 'customer', async (w) => {
    const [a, b] = [await w.customer(), await w.customer()];
    await w.suggestion(a.id, b.id);
    return wrote(w, () => w.ask(`/dupes 忽略 #${a.id} #${b.id}`));
  }),
  chat('merge', '/merge #a #b 确认', 'customer', async (w) => {
    const [a, b] = [await w.customer(), await w.customer()];
    return wrote(w, () => w.ask(`/merge #${a.id} #${b.id} 确认`));
  }),
  chat('unmerge', '/unmerge merge#id', 'customer', async (w) => {
    const m = await w.merged();
    return wrote(w, () => w.ask(`/unmerge merge#${m.mergeId}`));
  }),
  chat('handover', '/handover <team A rep> <team A rep>', 'staff-manager', async (w) => {
    const from = await w.colleague();
    return wrote(w, () => w.ask(`/handover telegram:${from.external} telegram:${REP_A}`));
  }),
  chat('digest', '/digest on (in a group)', 'marketer', async (w) =>
    wrote(w, () => w.askInGroup(GROUP_CHAT, '/digest on')),
  ),
  chat('digest', '/digest now (in a group)', 'marketer', async (w) => {
    const answer = await w.askInGroup(GROUP_CHAT, '/digest now');
    return !answer.startsWith('只有');
  }),
  chat('report', '/report', 'everyone', async (w) => !(await w.ask('/report')).startsWith('只有')),
  chat('segment', '/segment (list)', 'marketing-read', async (w) => {
    const s = await w.segment();
    return (await w.ask('/segment')).includes(s.name);
  }),
  chat('segment', '/segment #id', 'marketing-read', async (w) => {
    const s = await w.segment();
    return (await w.ask(`/segment #${s.id}`)).includes(s.name);
  }),
  chat('campaign', '/campaign (list)', 'manager-read', async (w) => {
    const c = await w.campaign();
    return (await w.ask('/campaign')).includes(c.name);
  }),
  chat('campaign', '/campaign #id', 'manager-read', async (w) => {
    const c = await w.campaign();
    return (await w.ask(`/campaign #${c.id}`)).includes(c.name);
  }),
  chat('campaign', '/campaign #id 预览', 'marketing-change', async (w) => {
    const c = await w.campaign();
    return (await w.ask(`/campaign #${c.id} 预览`)).includes(c.name);
  }),
  chat('campaign', '/campaign #id 暂停', 'marketing-change', async (w) => {
    const c = await w.campaign('scheduled');
    return wrote(w, () => w.ask(`/campaign #${c.id} 暂停`));
  }),
  chat('campaign', '/campaign #id 继续', 'marketing-change', async (w) => {
    const c = await w.campaign('paused');
    return wrote(w, () => w.ask(`/campaign #${c.id} 继续`));
  }),
  chat('campaign', '/campaign #id 取消', 'marketing-change', async (w) => {
    const c = await w.campaign();
    return wrote(w, () => w.ask(`/campaign #${c.id} 取消`));
  }),
  chat('channel', '/channel <code>', 'marketing-read', async (w) => {
    const c = await w.channelCode();
    return (await w.ask(`/channel ${c.code}`)).includes(c.name);
  }),
  chat('channel', '/channel (list)', 'marketing-read', async (w) => {
    const c = await w.channelCode();
    return (await w.ask('/channel')).includes(c.name);
  }),
  chat('channel', '/channel 推荐 #id', 'customer', async (w) => {
    const c = await w.customer();
    return wrote(w, () => w.ask(`/channel 推荐 #${c.id}`));
  }),
  chat('team', '/team list', 'everyone', async (w) => (await w.ask('/team list')).includes('甲组')),
  chat('team', '/team add', 'director-up', async (w) =>
    wrote(w, () => w.ask(`/team add ${unique('矩阵团队')}`)),
  ),
  chat('staff', '/staff list', 'staff-manager', async (w) => (await w.ask('/staff list')).includes(REP_A)),
  chat('staff', '/staff add <new> rep 甲组', 'staff-manager', async (w) => {
    const external = `5472${String(++made).padStart(6, '0')}`;
    return wrote(w, () => w.ask(`/staff add telegram:${external} rep 甲组`));
  }),
  // Everyone may sign themselves in; the matrix runs without PUBLIC_URL, where the answer says the web app is off.
  chat('web', '/web (a sign-in link for oneself)', 'everyone', async (w) => {
    const answer = await w.ask('/web');
    return answer.includes('/app/link?t=') || answer.includes('PUBLIC_URL');
  }),
];

const api = (key: string, policy: Policy, attempt: Row['attempt'], label = key): Row => ({
  key,
  label,
  policy,
  attempt,
});

export const API_ROWS: Row[] = [
  api('GET /api/docs', 'everyone', async (w) => byStatus(await w.api('GET', '/docs', undefined, null))),
  api('GET /api/customers', 'customer', async (w) => {
    const c = await w.customer();
    const owner = w.placement.customerOwner === 'actor' ? w.staff.actor : w.staff.repA;
    return listed(await w.api('GET', `/customers?owner=${owner}&limit=200`), c.id);
  }),
  api('POST /api/customers', 'everyone', async (w) =>
    byStatus(await w.api('POST', '/customers', { name: unique('矩阵新客') })),
  ),
  api('GET /api/customers/{id}', 'customer', async (w) =>
    byStatus(await w.api('GET', `/customers/${(await w.customer()).id}`)),
  ),
  api('PATCH /api/customers/{id}', 'customer', async (w) =>
    byStatus(await w.api('PATCH', `/customers/${(await w.customer()).id}`, { company: '矩阵公司' })),
  ),
  api('DELETE /api/customers/{id}', 'director-up', async (w) =>
    byStatus(await w.api('DELETE', `/customers/${(await w.customer()).id}`)),
  ),
  api('GET /api/customers/{id}/duplicates', 'customer', async (w) =>
    byStatus(await w.api('GET', `/customers/${(await w.customer()).id}/duplicates`)),
  ),
  api('POST /api/customers/merge', 'customer', async (w) => {
    const [a, b] = [await w.customer(), await w.customer()];
    return byStatus(await w.api('POST', '/customers/merge', { survivor: a.id, merged: b.id, confirm: true }));
  }),
  api('POST /api/customers/merges/{id}/undo', 'customer', async (w) =>
    byStatus(await w.api('POST', `/customers/merges/${(await w.merged()).mergeId}/undo`)),
  ),
  api('POST /api/customers/{id}/notes', 'customer', async (w) =>
    byStatus(await w.api('POST', `/customers/${(await w.customer()).id}/notes`, { text: '回访过' })),
  ),
  api('POST /api/customers/{id}/tags', 'customer', async (w) =>
    byStatus(await w.api('POST', `/customers/${(await w.customer()).id}/tags`, { name: '矩阵手工' })),
  ),
  api('DELETE /api/customers/{id}/tags/{tag}', 'customer', async (w) => {
    const c = await w.customer();
    const tag = await w.tagged(c.id);
    return byStatus(await w.api('DELETE', `/customers/${c.id}/tags/${encodeURIComponent(tag)}`));
  }),
  api('POST /api/customers/{id}/messages', 'customer', async (w) =>
    byStatus(await w.api('POST', `/customers/${(await w.writingCustomer()).id}/messages`, { text: '您好' })),
  ),
  api('GET /api/deals', 'customer', async (w) => {
    const d = await deal(w);
    return listed(await w.api('GET', `/deals?customer=${d.customerId}`), d.id);
  }),
  api('POST /api/deals', 'customer', async (w) =>
    byStatus(
      await w.api('POST', '/deals', { customer: (await w.customer()).id, amount: 50, stage: 'qualify' }),
    ),
  ),
  api('PATCH /api/deals/{id}', 'customer', async (w) =>
    byStatus(await w.api('PATCH', `/deals/${(await deal(w)).id}`, { stage: 'negotiate' })),
  ),
  api('GET /api/deals/pipeline', 'customer', async (w) => {
    const currency = uniqueCurrency();
    await deal(w, currency);
    const res = await w.api('GET', '/deals/pipeline');
    if (!byStatus(res)) return false;
    const items = (res.body as { items?: Array<{ currency: string }> }).items ?? [];
    return items.some((i) => i.currency === currency);
  }),
  api('GET /api/messages/{id}/file', 'customer', async (w) => {
    // 302 to a signed link: done; the link itself is not followed.
    const res = await fetch(`${w.h.url}/api/messages/${await keptFileMessage(w)}/file`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
      redirect: 'manual',
    });
    return res.status === 302 || byStatus({ status: res.status, body: await res.text() });
  }),
  api('GET /api/quick-replies', 'marketing-read', async (w) => {
    const q = await quickReply(w);
    return listed(await w.api('GET', '/quick-replies'), q.id);
  }),
  api('POST /api/quick-replies', 'team-change', async (w) =>
    byStatus(
      await w.api('POST', '/quick-replies', { key: unique('matrix'), text: '矩阵话术', teamId: cellTeam(w) }),
    ),
  ),
  api('DELETE /api/quick-replies/{id}', 'team-change', async (w) =>
    byStatus(await w.api('DELETE', `/quick-replies/${(await quickReply(w)).id}`)),
  ),
  api('GET /api/staff', 'staff-manager', async (w) => listed(await w.api('GET', '/staff'), w.staff.repA)),
  api('POST /api/handover', 'staff-manager', async (w) => {
    const from = await w.colleague();
    return byStatus(await w.api('POST', '/handover', { from: from.staffId, to: w.staff.repA }));
  }),
  api('GET /api/inbox', 'admin-only', async (w) => byStatus(await w.api('GET', '/inbox'))),
  // The matrix runs without WeCom: 409 (no directory to read) means the token got past the role check.
  api('POST /api/sync/{platform}', 'admin-only', async (w) => {
    const res = await w.api('POST', '/sync/wecom');
    return res.status === 409 || byStatus(res);
  }),
  api('GET /api/sync/{id}', 'admin-only', async (w) => {
    const job = await w.h.db
      .insertInto('sync_jobs')
      .values({
        platform: 'wecom',
        workspace: 'matrix',
        status: 'done',
        phase: 'done',
        cursor: '',
        members: '[]',
        progress: '{}',
        summary: '{}',
        attempts: 0,
        retry_at: 0,
        lease_owner: null,
        lease_until: 0,
        last_error: null,
        requested_via: 'cli',
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
        finished_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return byStatus(await w.api('GET', `/sync/${job.id}`));
  }),
  api('GET /api/customers/{id}/export', 'director-up', async (w) =>
    byStatus(await w.api('GET', `/customers/${(await w.customer()).id}/export`)),
  ),
  api('PUT /api/customers/{id}/do-not-contact', 'customer', async (w) =>
    byStatus(
      await w.api('PUT', `/customers/${(await w.customer()).id}/do-not-contact`, { doNotContact: true }),
    ),
  ),
  api('GET /api/digests/subscriptions', 'marketing-change', async (w) => {
    const s = await w.digestSubscription();
    return listed(await w.api('GET', '/digests/subscriptions'), s.id);
  }),
  api('POST /api/digests/subscriptions', 'marketing-change', async (w) => {
    const s = await w.digestSubscription();
    const res = await w.api('POST', '/digests/subscriptions', {
      platform: 'telegram',
      kind: 'daily',
      target: { kind: 'chat', ref: s.chatId },
      teamId: s.teamId,
      enabled: false,
    });
    return byStatus(res);
  }),
  api('POST /api/digests/run', 'admin-only', async (w) => byStatus(await w.api('POST', '/digests/run'))),
  api('GET /api/reports/funnel', 'everyone', async (w) => byStatus(await w.api('GET', '/reports/funnel'))),
  api('GET /api/reports/activity', 'everyone', async (w) =>
    byStatus(await w.api('GET', '/reports/activity')),
  ),
  api('GET /api/segments', 'marketing-read', async (w) => {
    const s = await w.segment();
    return listed(await w.api('GET', '/segments'), s.id);
  }),
  api('POST /api/segments', 'marketer', async (w) =>
    byStatus(await w.api('POST', '/segments', { name: unique('矩阵新分群'), filter: {} })),
  ),
  api('GET /api/segments/{id}', 'marketing-read', async (w) =>
    byStatus(await w.api('GET', `/segments/${(await w.segment()).id}`)),
  ),
  api('PATCH /api/segments/{id}', 'marketing-change', async (w) =>
    byStatus(await w.api('PATCH', `/segments/${(await w.segment()).id}`, { description: '改过' })),
  ),
  api('DELETE /api/segments/{id}', 'marketing-change', async (w) =>
    byStatus(await w.api('DELETE', `/segments/${(await w.segment()).id}`)),
  ),
  api('POST /api/channels', 'marketer', async (w) =>
    byStatus(
      await w.api('POST', '/channels', { name: '矩阵新渠道', kind: 'campaign', platform: 'telegram' }),
    ),
  ),
  api('GET /api/channels', 'marketing-read', async (w) => {
    const c = await w.channelCode();
    return listed(await w.api('GET', '/channels'), c.id);
  }),
  api('GET /api/channels/{id}', 'marketing-read', async (w) =>
    byStatus(await w.api('GET', `/channels/${(await w.channelCode()).id}`)),
  ),
  api('DELETE /api/channels/{id}', 'marketing-change', async (w) =>
    byStatus(await w.api('DELETE', `/channels/${(await w.channelCode()).id}`)),
  ),
  api('GET /api/channels/{id}/report', 'manager-read', async (w) =>
    byStatus(await w.api('GET', `/channels/${(await w.channelCode()).id}/report`)),
  ),
  api('GET /api/campaigns', 'manager-read', async (w) => {
    const c = await w.campaign();
    return listed(await w.api('GET', '/campaigns'), c.id);
  }),
  api('POST /api/campaigns', 'marketer', async (w) =>
    byStatus(
      await w.api('POST', '/campaigns', { name: unique('矩阵新活动'), segment: 'dormant', text: '你好' }),
    ),
  ),
  api('GET /api/campaigns/{id}', 'manager-read', async (w) =>
    byStatus(await w.api('GET', `/campaigns/${(await w.campaign()).id}`)),
  ),
  api('POST /api/campaigns/{id}/preview', 'marketing-change', async (w) =>
    byStatus(await w.api('POST', `/campaigns/${(await w.campaign()).id}/preview`)),
  ),
  api('POST /api/campaigns/{id}/schedule', 'marketing-change', async (w) =>
    byStatus(
      await w.api('POST', `/campaigns/${(await w.campaign()).id}/schedule`, { at: '2027-06-01T00:00:00Z' }),
    ),
  ),
  api('POST /api/campaigns/{id}/pause', 'marketing-change', async (w) =>
    byStatus(await w.api('POST', `/campaigns/${(await w.campaign('scheduled')).id}/pause`)),
  ),
  api('POST /api/campaigns/{id}/resume', 'marketing-change', async (w) =>
    byStatus(await w.api('POST', `/campaigns/${(await w.campaign('paused')).id}/resume`)),
  ),
  api('POST /api/campaigns/{id}/cancel', 'marketing-change', async (w) =>
    byStatus(await w.api('POST', `/campaigns/${(await w.campaign()).id}/cancel`)),
  ),
  api('GET /api/campaigns/{id}/report', 'manager-read', async (w) =>
    byStatus(await w.api('GET', `/campaigns/${(await w.campaign()).id}/report`)),
  ),
  api('POST /api/sops', 'marketer', async (w) =>
    byStatus(
      await w.api('POST', '/sops', {
        name: unique('矩阵新SOP'),
        trigger: { kind: 'tag', value: '矩阵' },
        steps: [{ after: {}, action: 'message', text: '你好' }],
      }),
    ),
  ),
  api('GET /api/sops', 'manager-read', async (w) => {
    const s = await w.sop();
    return listed(await w.api('GET', '/sops'), s.id);
  }),
  api('GET /api/sops/{id}', 'manager-read', async (w) =>
    byStatus(await w.api('GET', `/sops/${(await w.sop()).id}`)),
  ),
  api('PATCH /api/sops/{id}', 'marketing-change', async (w) =>
    byStatus(await w.api('PATCH', `/sops/${(await w.sop()).id}`, { active: false })),
  ),
];
