import type { CoreDeps } from '../../kernel/runtime.ts';
import type { MassSendContent } from '../../ports/outbound.ts';
import { decideOutreach, type OutreachSkip, outreachText } from '../outreach/outreach.ts';
import { campaignMembers, inHoldout } from './audience.ts';
import { type CampaignRow, campaignContent, campaignSendKey } from './campaigns.ts';

/** How a campaign's message looks on one platform and route. */
export interface ShownAs {
  route: 'chat' | 'wecom_template';
  platform: string;
  /** The text as the customer will read it (platforms without link cards get the link appended). */
  text: string;
  /** What goes with the text: a link card, a picture (WeChat Customer Service takes text only). */
  attachments: Array<'link' | 'image'>;
}

/** What launching the campaign now would do; computing it writes nothing. */
export interface CampaignPreview {
  /** Members of the segment within the campaign's scope. */
  segmentSize: number;
  holdout: number;
  skipped: Record<OutreachSkip, number>;
  reachable: {
    total: number;
    byRoute: { chat: number; wecom_template: number };
    byPlatform: Record<string, number>;
  };
  /** WeCom mass-send tasks per sending member (each member confirms theirs in their own client). */
  wecomSenders: Array<{ sender: string; customers: number }>;
  shownAs: ShownAs[];
  /** False when the segment or the scope's staff member is gone: launching would reach nobody. */
  segmentFound: boolean;
}

/**
 * The figures of a launch at `now`: the segment's members in the campaign's scope, the holdout, who would be skipped
 * and why (do-not-contact, frequency cap, no channel, platform window closed), who is reachable by which route, and the
 * message as each platform shows it. The launch applies the same rules, so the figures match when nothing changes.
 */
export async function previewCampaign(deps: CoreDeps, c: CampaignRow, now: number): Promise<CampaignPreview> {
  const members = await campaignMembers(deps, c, now);
  const skipped: Record<OutreachSkip, number> = {
    do_not_contact: 0,
    frequency_cap: 0,
    no_channel: 0,
    outside_window: 0,
  };
  const byRoute = { chat: 0, wecom_template: 0 };
  const byPlatform: Record<string, number> = {};
  const senders = new Map<string, number>();
  const shown = new Map<string, ShownAs>();
  const content = campaignContent(c);
  let holdout = 0;
  for (const customerId of members ?? []) {
    if (inHoldout(c.id, customerId, c.holdout_pct)) {
      holdout++;
      continue;
    }
    const d = await decideOutreach(deps, customerId, campaignSendKey(c.id, customerId), now);
    if (!d.ok) {
      skipped[d.reason]++;
      continue;
    }
    const platform = d.route.platform;
    byRoute[d.route.kind]++;
    byPlatform[platform] = (byPlatform[platform] ?? 0) + 1;
    if (d.route.kind === 'wecom_template')
      senders.set(d.route.senderExternalId, (senders.get(d.route.senderExternalId) ?? 0) + 1);
    const takesImage =
      d.route.kind === 'chat' &&
      deps.adapters
        .get(platform)
        ?.sendsImagesTo?.({ kind: 'chat', chatId: d.route.platformChatId, chatKind: d.route.chatKind }) ===
        true;
    const look = shownOn(d.route.kind, platform, takesImage, content);
    shown.set(`${look.route}:${look.platform}:${look.attachments.join('+')}`, look);
  }
  return {
    segmentSize: members?.length ?? 0,
    holdout,
    skipped,
    reachable: { total: byRoute.chat + byRoute.wecom_template, byRoute, byPlatform },
    wecomSenders: [...senders].map(([sender, customers]) => ({ sender, customers })),
    shownAs: [...shown.values()],
    segmentFound: members !== null,
  };
}

/**
 * The message as one route shows it: mass-send tasks carry a link card or picture; chats get the link in the text,
 * and the picture where the platform's adapter takes one in that chat.
 */
export function shownOn(
  route: 'chat' | 'wecom_template',
  platform: string,
  takesImage: boolean,
  content: MassSendContent,
): ShownAs {
  if (route === 'wecom_template')
    return {
      route,
      platform,
      text: content.text,
      attachments: [...(content.link ? ['link' as const] : []), ...(content.image ? ['image' as const] : [])],
    };
  return {
    route,
    platform,
    text: outreachText(content),
    attachments: content.image && takesImage ? ['image'] : [],
  };
}
