import type { CliCommand } from './command.ts';

const usage = [
  'Usage: liaison telegram set-webhook <https-url>',
  '',
  "Points the bot's webhook at <https-url> with TELEGRAM_WEBHOOK_SECRET as the secret token and the update",
  'kinds Liaison handles. A bare address (https://crm.example.com) gets /webhooks/telegram appended.',
  'Telegram only delivers to https URLs. With PUBLIC_URL set, `npm start` does this by itself.',
].join('\n');

/** `liaison telegram set-webhook <url>`: registers the webhook through the Telegram adapter, and says what Telegram answered. */
export const telegramCommand: CliCommand = {
  name: 'telegram',
  summary: "Register the Telegram bot's webhook (set-webhook <https-url>)",
  usage,
  needsDatabase: false,
  async run(args, ctx) {
    const [sub, given, ...extra] = args;
    if (sub !== 'set-webhook' || !given || extra.length > 0) {
      ctx.err(usage);
      return 2;
    }
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      ctx.err(`liaison telegram: "${given}" is not a URL; give the https address of this server.`);
      return 2;
    }
    if (url.protocol !== 'https:') {
      ctx.err(
        `liaison telegram: Telegram only delivers webhooks to https URLs; "${given}" is ${url.protocol}.`,
      );
      return 2;
    }
    if (url.pathname === '/' && !url.search) url.pathname = '/webhooks/telegram';
    if (!ctx.config.telegram) {
      ctx.err(
        'liaison telegram: Telegram is not configured; set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET.',
      );
      return 1;
    }
    // Loaded on use: telegraf takes a while to load, and `liaison help` should not wait for it.
    const { createTelegramAdapter } = await import('../../adapters/telegram/index.ts');
    const { ALLOWED_UPDATES } = await import('../../adapters/telegram/types.ts');
    const adapter = createTelegramAdapter(ctx.config.telegram);
    try {
      await adapter.registerWebhook?.(url.href);
    } catch (error) {
      ctx.err(`liaison telegram: Telegram refused the webhook: ${refusal(error)}`);
      return 1;
    }
    ctx.out(`Telegram answered ok: webhook set to ${url.href}`);
    ctx.out(`  secret token: TELEGRAM_WEBHOOK_SECRET; updates: ${ALLOWED_UPDATES.join(', ')}`);
    return 0;
  },
};

function refusal(error: unknown): string {
  if (isTelegramError(error)) {
    const hint = error.code === 401 || error.code === 404 ? ' (check TELEGRAM_BOT_TOKEN)' : '';
    return `${error.code} ${error.description}${hint}`;
  }
  // The error's code only: a network error's message quotes the request URL, the bot token's home (telegraf masks it).
  const e = error as { code?: unknown; cause?: { code?: unknown }; name?: unknown } | undefined;
  const code = [e?.code, e?.cause?.code, e?.name].find((c) => typeof c === 'string') ?? 'error';
  return `could not reach Telegram (${code}); check the network and TELEGRAM_API_ROOT`;
}

/** telegraf's TelegramError (checked by shape, so telegraf loads only on use): Telegram answered with an error. */
function isTelegramError(error: unknown): error is { code: number; description: string } {
  const e = error as { code?: unknown; description?: unknown; response?: unknown } | undefined;
  return typeof e?.code === 'number' && typeof e.description === 'string' && e.response !== undefined;
}
