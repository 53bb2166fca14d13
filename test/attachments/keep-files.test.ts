import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import {
  askForFile,
  exe,
  filesUnder,
  jpeg,
  messageIdOf,
  openLink,
  pdf,
  settledFile,
  tempFolder,
} from './files.ts';

const ADMIN = '5234567890';
const REP = '5500000002';
const OTHER_REP = '5500000003';
const CUSTOMER = '7500000001';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** Files customers send are fetched from the platform after the acknowledgement, kept, and served to staff in scope. */
describe.each(serverDialectsUnderTest())('attachments kept on $name', (dialect) => {
  let h: Harness;
  let folder: ReturnType<typeof tempFolder>;
  let nextId = 996_000_000;
  afterEach(async () => {
    await h?.close();
    folder?.remove();
  });

  async function start(env: Record<string, string> = {}) {
    folder = tempFolder();
    // The API token acts as REP: what it may reach is REP's scope.
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { ATTACHMENTS_DIR: folder.dir, API_TOKEN_STAFF: `telegram:${REP}`, ...env },
    });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, '/team add 华北组');
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华南组`);
    await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep 华北组`);
    const customerId = await telegramCustomer(h, CUSTOMER, '王芳');
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${REP}`);
    return { chat, customerId };
  }

  /** The customer sends something to the bot; resolves with the stored message's id. */
  async function customerSends(fields: Record<string, unknown>): Promise<number> {
    const id = nextId++;
    const answer = await h.postUpdate({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(CUSTOMER), type: 'private', first_name: '王芳' },
        from: { id: Number(CUSTOMER), is_bot: false, first_name: '王芳' },
        ...fields,
      },
    });
    expect(answer.status).toBe(200);
    return messageIdOf(h, id);
  }

  it('keeps a Telegram photo on disk and serves it to the owner through a short-lived signed link', async () => {
    const { chat, customerId } = await start();
    const bytes = jpeg(3_000);
    h.telegram.files.set('AgAC-large', { path: 'photos/file_7.jpg', bytes });
    const photo = [
      { file_id: 'AgAC-small', file_unique_id: 's', width: 90, height: 90 },
      { file_id: 'AgAC-large', file_unique_id: 'l', width: 1280, height: 960 },
    ];
    const messageId = await customerSends({ photo, caption: '我的名片' });

    const file = await settledFile(h, messageId);
    expect(file).toMatchObject({ status: 'stored', content_type: 'image/jpeg', last_error: null });
    expect(Number(file.size)).toBe(3_000);
    // The largest size was asked for, and downloaded from the Bot API's file path.
    expect(h.telegram.callsTo('getFile').map((c) => c.body.file_id)).toEqual(['AgAC-large']);
    expect(h.telegram.callsTo('file').map((c) => c.body.path)).toEqual(['photos/file_7.jpg']);
    // On disk under ATTACHMENTS_DIR, with the bytes the platform served.
    const kept = filesUnder(folder.dir).filter((f) => !f.endsWith('.type'));
    expect(kept).toEqual([file.storage_key]);
    expect(readFileSync(join(folder.dir, kept[0] as string)).equals(bytes)).toBe(true);

    // The timeline says the file is kept.
    const detail = await h.api<{ timeline: Array<Record<string, unknown>> }>(`/customers/${customerId}`);
    const entry = detail.body.timeline.find((t) => t.id === messageId);
    expect(entry?.file).toEqual({ status: 'stored', size: 3_000, contentType: 'image/jpeg' });

    // The owner gets a signed link; it serves the file as an attachment, never sniffed.
    const asked = await askForFile(h, messageId);
    expect(asked.status).toBe(302);
    const location = asked.headers.get('location') ?? '';
    expect(location).toMatch(/^\/files\/\d+\.\d+\.[A-Za-z0-9_-]{43}$/);
    const served = await openLink(h, location);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="file-\d+"/);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    const audited = await h.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', '=', 'message.file_read')
      .execute();
    expect(audited).toEqual([{ action: 'message.file_read', subject_id: String(messageId) }]);

    // A token changed anywhere is refused: the message id, or one character of the signature.
    const [id, expires, mac] = location.slice('/files/'.length).split('.') as [string, string, string];
    const flipped = `${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    expect((await openLink(h, `/files/${id}.${expires}.${flipped}`)).status).toBe(404);
    expect((await openLink(h, `/files/${Number(id) + 1}.${expires}.${mac}`)).status).toBe(404);
    expect((await openLink(h, `/files/${id}.${Number(expires) + 60}.${mac}`)).status).toBe(404);
    // The link expires after five minutes.
    h.clock.advance(5 * 60_000 + 1_000);
    expect((await openLink(h, location)).status).toBe(404);
    const fresh = await askForFile(h, messageId);
    expect(fresh.status).toBe(302);
    expect((await openLink(h, fresh.headers.get('location') ?? '')).status).toBe(200);

    // Handed to a rep of another team, the customer and the file are out of REP's reach.
    await chat.ask(ADMIN, `/assign #${customerId} telegram:${OTHER_REP}`);
    const refused = await askForFile(h, messageId);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('location')).toBeNull();
    expect((await askForFile(h, messageId + 1_000)).status).toBe(404);
  });

  it('refuses for good a file over the limit and an executable posing as a PDF, and retries a passing failure', async () => {
    await start({ ATTACHMENTS_MAX_BYTES: '4096', METRICS_TOKEN });
    // A passing fault of the platform is tried again.
    h.telegram.script('getFile', {
      status: 502,
      body: { ok: false, error_code: 502, description: 'Bad Gateway' },
    });
    h.telegram.files.set('BQAC-quote', { path: 'documents/file_1.pdf', bytes: pdf(3_500) });
    const quote = await customerSends({
      document: {
        file_id: 'BQAC-quote',
        file_unique_id: 'q',
        file_name: '报价单.pdf',
        mime_type: 'application/pdf',
      },
    });
    const kept = await settledFile(h, quote);
    expect(kept).toMatchObject({ status: 'stored', content_type: 'application/pdf', attempts: 2 });
    const served = await openLink(h, (await askForFile(h, quote)).headers.get('location') ?? '');
    expect(served.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('报价单.pdf')}`,
    );

    // Over ATTACHMENTS_MAX_BYTES: refused from the size getFile gives, never downloaded.
    h.telegram.files.set('BQAC-big', { path: 'documents/file_2.pdf', bytes: pdf(10_000) });
    const big = await customerSends({
      document: {
        file_id: 'BQAC-big',
        file_unique_id: 'b',
        file_name: '目录.pdf',
        mime_type: 'application/pdf',
      },
    });
    expect(await settledFile(h, big)).toMatchObject({ status: 'refused', size: 10_000, storage_key: null });
    expect(h.telegram.callsTo('file').map((c) => c.body.path)).not.toContain('documents/file_2.pdf');

    // An executable named and typed as a PDF: its own bytes say what it is.
    h.telegram.files.set('BQAC-exe', { path: 'documents/file_3.pdf', bytes: exe(2_000) });
    const disguised = await customerSends({
      document: {
        file_id: 'BQAC-exe',
        file_unique_id: 'e',
        file_name: 'invoice.pdf',
        mime_type: 'application/pdf',
      },
    });
    const refused = await settledFile(h, disguised);
    expect(refused).toMatchObject({ status: 'refused', storage_key: null });
    expect(refused.last_error).toContain('not an allowed type');
    const answer = await askForFile(h, disguised);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: 'the file is not kept', details: { status: 'refused' } });
    // Only the kept PDF is on disk.
    expect(filesUnder(folder.dir).filter((f) => !f.endsWith('.type'))).toEqual([kept.storage_key]);
    // Operators see the counts by status.
    const metrics = await (
      await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    expect(metrics).toContain('liaison_attachments{status="stored"} 1');
    expect(metrics).toContain('liaison_attachments{status="refused"} 2');
    expect(metrics).toContain('liaison_attachments{status="pending"} 0');
  });
});
