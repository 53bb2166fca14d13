import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { CHAT_APP_PLATFORMS } from '../../../db/schema.ts';
import { languageOf } from '../../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { CHANNEL_KINDS } from '../../core/marketing/attribution/codes.ts';
import type { ChannelCodeWithCounts } from '../../core/marketing/attribution/listing.ts';
import {
  type ChannelPlatform,
  channelCodesFor,
  channelPlatforms,
  createChannelCodeAs,
  deactivateChannelCodeAs,
} from '../../core/marketing/attribution/manage.ts';
import { kindName } from '../../core/records/customers/source-text.ts';
import { channelTags } from '../../core/records/customers/sources.ts';
import { listStaffMembers } from '../../core/records/staff/listing.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

/** Hosts whose https pictures the page shows as they are (the CSP's img-src lists the same): the platform's CDN. */
const PICTURE_HOSTS = ['.weixin.qq.com', '.qpic.cn'];

const staffId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const NewCode = z.strictObject({
  name: z.string().trim().min(1).max(100),
  // A referral code names a customer: it is made from the customer's card (`/channel referral`), not here.
  kind: z.enum(CHANNEL_KINDS.filter((k) => k !== 'referral') as ['campaign', 'rep', 'event', 'other']),
  platform: z.enum(CHAT_APP_PLATFORMS),
  code: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  staff: z.array(staffId).max(100).optional(),
  chatId: z.string().trim().min(1).max(200).optional(),
  welcome: z.string().trim().min(1).max(1000).optional(),
  tags: z.array(z.string().trim().min(1).max(30)).max(10).optional(),
});

/**
 * The channel codes screen (client/console/channels.tsx): the codes the manager reaches with their counts and QR
 * code's source, what a new one may be made with, making one, and switching one off.
 */
export function channelRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));
  const platforms = () => channelPlatforms(core);

  app.get('/', async (c) => {
    const lang = languageOf(requestSession(c).staff.language);
    const ways = platforms();
    const items = await channelCodesFor(core, actorOf(c));
    return c.json({ items: items.map((ch) => shown(ch, ways, lang)) });
  });

  app.get('/options', async (c) => {
    const lang = languageOf(requestSession(c).staff.language);
    const staff = await listStaffMembers(core.db, actorOf(c).viewer, { activeOnly: true });
    return c.json({
      platforms: platforms(),
      kinds: NewCode.shape.kind.options.map((k) => ({ key: k, name: kindName(k, lang) })),
      staff: staff.map((s) => ({
        id: s.id,
        name: s.name,
        platforms: [...new Set(s.identities.map((i) => i.platform))],
      })),
    });
  });

  app.post('/', async (c) => {
    const parsed = NewCode.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? '');
      return c.json({ error: `check ${field || 'the form'}`, field }, 400);
    }
    const b = parsed.data;
    const outcome = await createChannelCodeAs(
      core,
      actorOf(c),
      {
        name: b.name,
        kind: b.kind,
        platform: b.platform,
        ...(b.code ? { code: b.code } : {}),
        ...(b.staff && b.staff.length > 0 ? { staffIds: b.staff } : {}),
        ...(b.chatId ? { chatId: b.chatId } : {}),
        ...(b.welcome ? { welcome: b.welcome } : {}),
        ...(b.tags && b.tags.length > 0 ? { tags: [...new Set(b.tags)] } : {}),
      },
      `web:channel-code:${c.req.header('idempotency-key') ?? crypto.randomUUID()}`,
    );
    if (!outcome.ok) {
      const field = 'field' in outcome ? outcome.field : 'platform';
      const status = {
        invalid: 400,
        not_allowed: 403,
        conflict: 409,
        unconfigured: 409,
        refused: 502,
      } as const;
      return c.json({ error: outcome.error, field }, status[outcome.status]);
    }
    const lang = languageOf(requestSession(c).staff.language);
    return c.json(shown({ ...outcome.channel, ...noCounts }, platforms(), lang), 201);
  });

  app.delete('/:id{[0-9]{1,15}}', async (c) => {
    const outcome = await deactivateChannelCodeAs(core, actorOf(c), Number(c.req.param('id')));
    if (outcome.ok)
      return c.json({ id: Number(outcome.channel.id), active: false, changed: outcome.changed });
    if (outcome.status === 'unknown') return c.json({ error: 'no such channel code' }, 404);
    if (outcome.status !== 'refused') return c.json({ error: 'managers and above' }, 403);
    return c.json({ error: outcome.error }, 502);
  });

  return app;
}

const noCounts = { staff_name: null, firstSourceCustomers: 0, anySourceCustomers: 0 };

/** A code as the screen shows it: `picture` is a QR code's picture the platform made, safe to show as an image. */
function shown(ch: ChannelCodeWithCounts, ways: ChannelPlatform[], lang: ReturnType<typeof languageOf>) {
  const way = ways.find((w) => w.platform === ch.platform);
  const byChat = way?.by === 'chat';
  return {
    id: Number(ch.id),
    code: ch.code,
    name: ch.name,
    kind: ch.kind,
    kindName: kindName(ch.kind, lang),
    platform: ch.platform,
    active: ch.active === 1,
    staff: ch.staff_id === null ? null : { id: Number(ch.staff_id), name: ch.staff_name ?? '' },
    welcome: ch.welcome,
    tags: channelTags(ch.tags),
    link: byChat ? null : ch.link,
    picture: way?.linksAreQrCodes && ch.link && isPlatformPicture(ch.link) ? ch.link : null,
    chat: byChat ? ch.platform_ref : null,
    customers: { first: ch.firstSourceCustomers, any: ch.anySourceCustomers },
    createdAt: new Date(Number(ch.created_at)).toISOString(),
  };
}

/** An https address on the platform's picture hosts (anything else is drawn as a QR code by the page itself). */
function isPlatformPicture(link: string): boolean {
  try {
    const url = new URL(link);
    return url.protocol === 'https:' && PICTURE_HOSTS.some((h) => `.${url.hostname}`.endsWith(h));
  } catch {
    return false;
  }
}
