import type { ChannelLinks } from '../../src/core/ports/adapter.ts';
import { type WecomApi, WecomError } from './api.ts';
import type { WecomConfig, WecomResponse } from './types.ts';
import { contactWayAnswer } from './types.ts';

/**
 * Contact-me QR codes (联系我, 渠道活码) through the customer-contact secret: `add_contact_way` with the channel code
 * as `state`, which WeCom hands back as `State` of `add_external_contact` when a customer adds a member through it.
 */
export function wecomContactWays(api: WecomApi, config: WecomConfig): ChannelLinks {
  const secret = config.contactSecret ?? config.agentSecret;
  return {
    by: 'link',
    // WeCom hands `state` back only up to 30 characters.
    maxCodeLength: 30,
    needsMembers: true,
    linksAreQrCodes: true,
    async create(code, members) {
      if (members.length === 0)
        throw new WecomError(-1, 'a contact-me code needs at least one member', false);
      const r = await api.read(contactWayAnswer, secret, '/cgi-bin/externalcontact/add_contact_way', {
        body: {
          // 1: one member's code; 2: a code several members share. Scene 2: a QR code.
          type: members.length === 1 ? 1 : 2,
          scene: 2,
          state: code,
          user: members,
          skip_verify: true,
        },
      });
      if (!r.config_id || !r.qr_code)
        throw new WecomError(-1, 'add_contact_way answered without config_id or qr_code', false);
      return { link: r.qr_code, platformRef: r.config_id };
    },
    async remove(configId) {
      await api.call<WecomResponse>(secret, '/cgi-bin/externalcontact/del_contact_way', {
        body: { config_id: configId },
      });
    },
  };
}
