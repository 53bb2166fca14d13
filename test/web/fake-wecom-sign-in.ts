import type { FakeWecom, Json } from '../helpers/fake-wecom.ts';

/**
 * Adds the sidebar's endpoints to a fake WeCom: `auth/getuserinfo` (codes are single-use, like WeCom's: a member's
 * code answers their userid, a WeChat user's an openid, anything else 40029), and the two JS-SDK tickets, a new one
 * per fetch so a test sees which ticket a signature used.
 */
export function installSignIn(fake: FakeWecom): {
  codes: Map<string, { userid?: string; openid?: string }>;
  /** Every ticket handed out, in order. */
  tickets: string[];
} {
  const codes = new Map<string, { userid?: string; openid?: string }>();
  const tickets: string[] = [];
  const issue = (kind: string): Json => {
    tickets.push(`${kind}-ticket-${tickets.length + 1}`);
    return { ticket: tickets.at(-1), expires_in: 7200 };
  };
  fake.route('/cgi-bin/auth/getuserinfo', (_, query): Json => {
    const who = codes.get(query.code ?? '');
    if (!who) return { errcode: 40029, errmsg: 'invalid code' };
    codes.delete(query.code ?? '');
    return { ...who };
  });
  fake.route('/cgi-bin/get_jsapi_ticket', (): Json => issue('corp'));
  fake.route(
    '/cgi-bin/ticket/get',
    (_, query): Json =>
      query.type === 'agent_config' ? issue('agent') : { errcode: 40001, errmsg: 'invalid type' },
  );
  return { codes, tickets };
}
