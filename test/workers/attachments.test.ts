import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { rows } from './d1-raw.ts';
import { API_TOKEN, call, TELEGRAM_SECRET } from './helpers.ts';

/** On Workers a customer's photo is fetched after the answer and kept in the R2 bucket bound as ATTACHMENTS_BUCKET. */
describe('attachments on the Worker', () => {
  it('keeps a Telegram photo in R2 and serves it through a signed link', async () => {
    const chatId = 6200000099;
    const from = { id: chatId, is_bot: false, first_name: '客户R2' };
    const answer = await call('/webhooks/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
      body: JSON.stringify({
        update_id: 930001,
        message: {
          message_id: 930001,
          from,
          chat: { id: chatId, first_name: from.first_name, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          photo: [{ file_id: 'AgAC-worker', file_unique_id: 'w', width: 64, height: 64 }],
        },
      }),
    });
    expect(answer.status).toBe(200);
    const [file] = await rows<{
      message_id: number;
      status: string;
      storage_key: string;
      content_type: string;
    }>(
      env.DB,
      "select f.message_id, f.status, f.storage_key, f.content_type from message_files f join messages m on m.id = f.message_id where m.platform_message_id = '930001'",
    );
    expect(file).toMatchObject({ status: 'stored', content_type: 'image/jpeg' });
    const bucket = env.ATTACHMENTS_BUCKET as { get(key: string): Promise<{ size: number } | null> };
    expect((await bucket.get(file?.storage_key ?? ''))?.size).toBe(64);

    const link = await call(`/api/messages/${file?.message_id}/file`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
      redirect: 'manual',
    });
    expect(link.status).toBe(302);
    const served = await call(link.headers.get('location') ?? '');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect((await served.arrayBuffer()).byteLength).toBe(64);
  });
});
