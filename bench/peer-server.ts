// The in-run peer: the vercel Chat SDK (`chat`) with its Telegram adapter and memory state, its webhook handler on a
// Node HTTP server, a bot recording every direct message. It checks the same secret token, dedups update_id and
// answers before its handler runs, as Liaison does, but keeps everything in memory: nothing survives a restart.
// Its adapter also sends a typing action to the (fake) Bot API for every private message, as it does by default.
// Reports its memory and how many messages its handler recorded (or dropped on a busy chat) over IPC.
import { createMemoryState } from '@chat-adapter/state-memory';
import { createTelegramAdapter } from '@chat-adapter/telegram';
import { serve } from '@hono/node-server';
import { Chat, ConsoleLogger, type StateAdapter } from 'chat';

const bot = new Chat({
  userName: 'liaison_bench_bot',
  adapters: {
    telegram: createTelegramAdapter({
      mode: 'webhook',
      botToken: process.env.TELEGRAM_BOT_TOKEN,
      secretToken: process.env.TELEGRAM_WEBHOOK_SECRET,
      apiUrl: process.env.TELEGRAM_API_ROOT,
      userName: 'liaison_bench_bot',
      logger: new ConsoleLogger('silent'),
    }),
  },
  // state-memory 4.41.0 carries its own copy of chat's types: the same shape, declared twice.
  state: createMemoryState() as unknown as StateAdapter,
  logger: 'silent',
});

const recorded: { chat: string; author: string; text: string; at: Date }[] = [];
let dropped = 0;
let pending = 0;
bot.onDirectMessage(async (thread, message) => {
  recorded.push({ chat: thread.id, author: message.author.userId, text: message.text, at: new Date() });
});
await bot.initialize();

const waitUntil = (task: Promise<unknown>) => {
  pending++;
  // A message on a chat whose handler is still running is dropped (the SDK's default concurrency): count it.
  task.catch(() => dropped++).finally(() => pending--);
};
const server = serve(
  {
    fetch: (request) => bot.webhooks.telegram(request, { waitUntil, propagateHandlerErrors: true }),
    port: 0,
    hostname: '127.0.0.1',
  },
  (info) => process.stdout.write(`READY http://127.0.0.1:${info.port}\n`),
);
process.on('message', (m) => {
  if (m === 'memory') {
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ rss, heapUsed, recorded: recorded.length, dropped, pending });
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
