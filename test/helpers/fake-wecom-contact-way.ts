import type { FakeWecom, Json } from './fake-wecom.ts';

/** A contact-me config (联系我) as the fake WeCom keeps it. */
export interface ContactWay {
  configId: string;
  type: number;
  scene: number;
  state: string;
  user: string[];
  qrCode: string;
  deleted: boolean;
}

/**
 * Adds `externalcontact/add_contact_way` and `del_contact_way` to a fake WeCom: configs are kept in `ways` (state and
 * users as sent), and answer like WeCom (state ≤ 30 characters, users required, unknown config ids refused).
 */
export function installContactWays(fake: FakeWecom): { ways: ContactWay[] } {
  const ways: ContactWay[] = [];
  fake.route('/cgi-bin/externalcontact/add_contact_way', (body): Json => {
    const state = typeof body.state === 'string' ? body.state : '';
    const user = Array.isArray(body.user) ? body.user.filter((u): u is string => typeof u === 'string') : [];
    if (state.length > 30) return { errcode: 40058, errmsg: 'invalid state length' };
    if (user.length === 0) return { errcode: 40058, errmsg: 'user or party required' };
    if (Number(body.type) === 1 && user.length !== 1)
      return { errcode: 40058, errmsg: 'type 1 takes one user' };
    const configId = `cfg${String(ways.length + 1).padStart(6, '0')}`;
    const qrCode = `https://wwcdn.weixin.qq.com/contact_me/${configId}.png`;
    ways.push({
      configId,
      type: Number(body.type),
      scene: Number(body.scene),
      state,
      user,
      qrCode,
      deleted: false,
    });
    return { config_id: configId, qr_code: qrCode };
  });
  fake.route('/cgi-bin/externalcontact/del_contact_way', (body): Json => {
    const way = ways.find((w) => w.configId === body.config_id && !w.deleted);
    if (!way) return { errcode: 41044, errmsg: 'invalid config_id' };
    way.deleted = true;
    return {};
  });
  return { ways };
}
