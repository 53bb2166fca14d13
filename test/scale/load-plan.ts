/** The Telegram traffic of the multi-instance test: unique updates, staff commands among them, and re-sent copies. */

const ADMIN_CHATS = [5123456789, 5234567890];
const CUSTOMERS = 400;

export interface PlannedUpdate {
  updateId: number;
  body: string;
  /** A staff command's unique argument: its reply quotes it, so each reply can be counted. */
  token?: string;
}

export interface LoadPlan {
  /** What to send, in order: originals, with copies right behind (in flight at once) or near the end. */
  sends: PlannedUpdate[];
  uniqueCount: number;
  customerMessages: number;
  staffTokens: string[];
}

/** `total` deliveries of which 20% are copies; one unique update in ten is a staff `/find` that gets a reply. */
export function planLoad(total: number, firstUpdateId = 900_000_000): LoadPlan {
  const uniqueCount = Math.round(total * 0.8);
  const originals: PlannedUpdate[] = [];
  const staffTokens: string[] = [];
  for (let i = 0; i < uniqueCount; i++) {
    const updateId = firstUpdateId + i;
    if (i % 10 === 0) {
      const token = `nomatch${i}`;
      staffTokens.push(token);
      const chat = ADMIN_CHATS[i % ADMIN_CHATS.length] as number;
      originals.push({ updateId, token, body: message(updateId, chat, i, `/find ${token}`, true) });
    } else {
      const chat = 7_000_000_000 + (i % CUSTOMERS);
      originals.push({
        updateId,
        body: message(updateId, chat, i, `你好，想问一下报价和交付时间 ${i}`, false),
      });
    }
  }
  const copies = total - uniqueCount;
  const copied = new Set(Array.from({ length: copies }, (_, k) => Math.floor((k * uniqueCount) / copies)));
  const sends: PlannedUpdate[] = [];
  const late: PlannedUpdate[] = [];
  let copiesMade = 0;
  for (const [i, u] of originals.entries()) {
    sends.push(u);
    // Half the copies go right behind their original (to the next instance, concurrently), half much later.
    if (copied.has(i)) (copiesMade++ % 2 === 0 ? sends : late).push(u);
  }
  const stride = Math.max(1, Math.floor(sends.length / 2 / Math.max(1, late.length)));
  late.forEach((u, k) => {
    sends.splice(Math.floor(sends.length / 2) + k * stride, 0, u);
  });
  return {
    sends,
    uniqueCount,
    customerMessages: uniqueCount - staffTokens.length,
    staffTokens,
  };
}

function message(updateId: number, chatId: number, messageId: number, text: string, command: boolean) {
  const person = { id: chatId, is_bot: false, first_name: `客户${chatId % 1000}`, language_code: 'zh-hans' };
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: messageId,
      from: person,
      chat: { id: chatId, first_name: person.first_name, type: 'private' },
      date: 1772417880,
      text,
      ...(command ? { entities: [{ offset: 0, length: 5, type: 'bot_command' }] } : {}),
    },
  });
}
