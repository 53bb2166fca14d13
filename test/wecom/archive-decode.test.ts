import { describe, expect, it } from 'vitest';
import { archiveKey, decodeArchiveRecord, verifyArchivePush } from '../../adapters/wecom/archive.ts';
import { createWecomAdapter } from '../../adapters/wecom/index.ts';
import { MalformedPayloadError } from '../../src/core/ports/adapter.ts';
import { FIXTURE_TIME, WECOM_ENV } from '../helpers/harness.ts';
import { ARCHIVE_SECRET, archiveFixture, archiveHeaders } from '../helpers/wecom-archive.ts';

const CORP = WECOM_ENV.WECOM_CORP_ID;
const CUSTOMER = 'wmErxtDgAAhteCglUZH2kUt3rq431qmg';
const clock = { now: () => FIXTURE_TIME };
const key = archiveKey(ARCHIVE_SECRET);
const record = (fields: Record<string, unknown>) =>
  JSON.stringify({
    msgid: 'm1',
    action: 'send',
    from: CUSTOMER,
    tolist: ['zhangsan'],
    roomid: '',
    msgtime: FIXTURE_TIME,
    msgtype: 'text',
    text: { content: '你好' },
    ...fields,
  });
const decode = (fields: Record<string, unknown>) => decodeArchiveRecord(record(fields), CORP);
const push = (body: string, headers = archiveHeaders(body, FIXTURE_TIME), method = 'POST') =>
  verifyArchivePush(
    { method, url: 'http://x/webhooks/wecom-archive', headers: new Headers(headers), body },
    key,
    clock,
  );

describe('WeCom chat archive records', () => {
  it('reads a one-to-one message either way, the member as brand and the contact as customer', () => {
    const [inbound] = decode({});
    expect(inbound).toMatchObject({
      kind: 'message',
      chat: { key: `pair:zhangsan:${CUSTOMER}`, kind: 'private', platformChatId: CUSTOMER },
      sender: { externalId: CUSTOMER, side: 'customer' },
      archived: { between: { member: { externalId: 'zhangsan' }, customer: { externalId: CUSTOMER } } },
      occurredAt: FIXTURE_TIME,
    });
    const [outbound] = decode({ from: 'zhangsan', tolist: [CUSTOMER] });
    expect(outbound).toMatchObject({
      chat: inbound?.kind === 'message' ? inbound.chat : {},
      sender: { side: 'brand' },
    });
  });

  it('leaves out what is not a customer conversation: robots, members among themselves', () => {
    // A member's switch to another corp is no conversation: a moment for the audit log (archive-records.test.ts).
    expect(
      decode({ action: 'switch', msgtype: undefined, from: undefined, user: 'zhangsan', time: 1 }),
    ).toEqual([
      expect.objectContaining({
        kind: 'archive_progress',
        occurredAt: 1,
        switched: {
          member: expect.objectContaining({ externalId: 'zhangsan', side: 'brand' }),
          recordId: expect.any(String),
        },
      }),
    ]);
    expect(decode({ from: 'wbErxtDgAAm1d5w3VuOQqpHn0XJ8J1nA', roomid: 'wr1' })).toEqual([]);
    expect(decode({ from: 'zhangsan', tolist: ['lisi'] })).toEqual([]);
    // A short member id that happens to start like an external one stays a member.
    expect(decode({ from: 'wmike', tolist: ['lisi'] })).toEqual([]);
  });

  it('renders types WeCom adds later generically, and refuses a record of the wrong shape', () => {
    const [disk] = decode({ msgtype: 'qydiskfile', qydiskfile: { filename: '合同.pdf', title: '合同' } });
    expect(disk).toMatchObject({
      text: '',
      contentType: 'file',
      content: { kind: 'file', name: '合同.pdf' },
    });
    const [later] = decode({ msgtype: 'hologram', hologram: { title: '全息名片' } });
    expect(later).toMatchObject({
      text: '',
      contentType: 'other',
      content: { kind: 'card', title: '全息名片' },
    });
    const [bare] = decode({ msgtype: 'hologram', hologram: {} });
    expect(bare).toMatchObject({ content: { kind: 'unsupported', type: 'hologram' } });
    expect(() => decode({ tolist: 'zhangsan' })).toThrow(MalformedPayloadError);
    expect(() => decodeArchiveRecord('{"msgid": ""}', CORP)).toThrow(/msgid/);
  });

  it('reads a recall as a withdrawal by its author, and consent as a notice', () => {
    expect(decode({ action: 'recall', msgtype: 'revoke', revoke: { pre_msgid: 'm0' } })).toEqual([
      expect.objectContaining({
        kind: 'messages_deleted',
        messageIds: ['m0'],
        recalledBy: expect.anything(),
      }),
    ]);
    expect(decode({ msgtype: 'agree', agree: { userid: CUSTOMER, agree_time: 5 } })).toEqual([
      expect.objectContaining({
        kind: 'notice',
        notice: 'archive_agree',
        noticeId: 'archive:m1',
        occurredAt: 5,
      }),
    ]);
  });
});

describe('WeCom archived chats', () => {
  it('are not written in by the app: a member’s chat with a customer is theirs, like a customer group', () => {
    const config = { corpId: CORP, token: 't', encodingAesKey: WECOM_ENV.WECOM_ENCODING_AES_KEY, agentId: 1 };
    const adapter = createWecomAdapter(
      {
        ...config,
        agentSecret: 'x'.repeat(16),
        contactSecret: null,
        kfSecret: null,
        apiBase: 'http://127.0.0.1:9',
        tagGroup: 'L',
      },
      clock,
    );
    expect(adapter.archive).toBeUndefined(); // no secret, no archive
    expect(adapter.writesIn?.({ kind: 'chat', chatId: CUSTOMER, chatKind: 'private' })).toBe(false);
    expect(adapter.writesIn?.({ kind: 'chat', chatId: 'zhangsan', chatKind: 'private' })).toBe(true);
  });
});

describe('WeCom chat archive pushes', () => {
  const body = JSON.stringify(archiveFixture('group.json'));

  it('accept a Standard Webhooks signature among others, one delivery per record and one for the push', () => {
    const headers = archiveHeaders(body, FIXTURE_TIME);
    headers['webhook-signature'] =
      `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
    const verdict = push(body, headers);
    if (verdict.kind !== 'accept') throw new Error(JSON.stringify(verdict));
    expect(verdict.deliveries.map((d) => d.dedupKey)).toEqual([
      ...archiveFixture('group.json').records.map((r) => `archive:${r.msgid}`),
      'archive-seq:1030',
    ]);
    expect(decodeArchiveRecord(verdict.deliveries.at(-1)?.payload ?? '', CORP)).toEqual([
      { platform: 'wecom', workspace: CORP, occurredAt: FIXTURE_TIME, kind: 'archive_progress', seq: '1030' },
    ]);
  });

  it('refuse other schemes, other methods, a tampered body and a push of more than 1,000 records', () => {
    const headers = archiveHeaders(body, FIXTURE_TIME);
    const v2 = { ...headers, 'webhook-signature': headers['webhook-signature']?.replace('v1,', 'v2,') ?? '' };
    expect(push(body, v2)).toMatchObject({ kind: 'reject', status: 401 });
    expect(push(body, headers, 'PUT')).toMatchObject({ kind: 'reject', status: 405 });
    expect(push(body.replace('发票', '发漂'), headers)).toMatchObject({ kind: 'reject', status: 401 });
    const many = JSON.stringify({ records: Array.from({ length: 1001 }, (_, i) => ({ msgid: `m${i}` })) });
    expect(push(many)).toMatchObject({ kind: 'reject', status: 400 });
  });
});
