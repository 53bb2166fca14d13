import { afterEach, describe, expect, it } from 'vitest';
import { telegramCustomer } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { FakeS3 } from './fake-s3.ts';
import { askForFile, filesUnder, jpeg, messageIdOf, openLink, settledFile, tempFolder } from './files.ts';

const CUSTOMER = '7500000009';
const ACCESS_KEY = 'AKIDLIAISONTEST01';
const SECRET_KEY = 'secret-key-for-the-fake-s3-0123456789';

/** With S3_* set, kept files go to the bucket through SigV4-signed requests, and come back from it. */
describe.each(serverDialectsUnderTest())('attachments in an S3-compatible bucket on $name', (dialect) => {
  let h: Harness;
  let s3: FakeS3;
  let folder: ReturnType<typeof tempFolder>;
  afterEach(async () => {
    await h?.close();
    await s3?.close();
    folder?.remove();
  });

  it('puts a Telegram photo in the bucket and serves it from there, every request signed', async () => {
    s3 = await new FakeS3(ACCESS_KEY, SECRET_KEY).start();
    folder = tempFolder();
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: {
        ATTACHMENTS_DIR: folder.dir,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: 'liaison-files',
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: SECRET_KEY,
      },
    });
    await telegramCustomer(h, CUSTOMER, '赵六');
    const bytes = jpeg(4_321);
    h.telegram.files.set('AgAC-s3', { path: 'photos/file_9.jpg', bytes });
    await h.postUpdate({
      update_id: 997_000_001,
      message: {
        message_id: 4242,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(CUSTOMER), type: 'private', first_name: '赵六' },
        from: { id: Number(CUSTOMER), is_bot: false, first_name: '赵六' },
        photo: [{ file_id: 'AgAC-s3', file_unique_id: 'z', width: 800, height: 600 }],
      },
    });
    const messageId = await messageIdOf(h, 4242);
    const kept = await settledFile(h, messageId);
    expect(kept).toMatchObject({ status: 'stored', content_type: 'image/jpeg' });

    const [put] = s3.calls.filter((c) => c.method === 'PUT');
    expect(put?.path).toBe(`/liaison-files/${kept.storage_key}`);
    expect(put?.headers['content-type']).toBe('image/jpeg');
    expect(put?.headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/us-east-1/s3/aws4_request, ` +
          'SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$',
      ),
    );
    // The payload hash is signed too, and is the hash of what was sent.
    expect(put?.headers['x-amz-content-sha256']).toBe(put?.bodySha256);
    expect(s3.objects.get(`/liaison-files/${kept.storage_key}`)?.bytes.equals(bytes)).toBe(true);
    // Nothing went to the local folder.
    expect(filesUnder(folder.dir)).toEqual([]);

    const served = await openLink(h, (await askForFile(h, messageId)).headers.get('location') ?? '');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    const [get] = s3.calls.filter((c) => c.method === 'GET');
    expect(get?.path).toBe(`/liaison-files/${kept.storage_key}`);
    expect(get?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLIAISONTEST01\//);

    // A bucket that lost the object: the link finds nothing rather than failing open.
    s3.objects.clear();
    const again = await openLink(h, (await askForFile(h, messageId)).headers.get('location') ?? '');
    expect(again.status).toBe(404);
  });

  it('keeps nothing when the bucket refuses the signature, and says why', async () => {
    s3 = await new FakeS3(ACCESS_KEY, SECRET_KEY).start();
    folder = tempFolder();
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: {
        ATTACHMENTS_DIR: folder.dir,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: 'liaison-files',
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: ACCESS_KEY,
        S3_SECRET_ACCESS_KEY: 'not-the-secret-the-bucket-knows-0000',
      },
    });
    await telegramCustomer(h, CUSTOMER, '赵六');
    h.telegram.files.set('AgAC-s3-refused', { path: 'photos/file_10.jpg', bytes: jpeg(1_000) });
    await h.postUpdate({
      update_id: 997_000_002,
      message: {
        message_id: 4243,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(CUSTOMER), type: 'private', first_name: '赵六' },
        from: { id: Number(CUSTOMER), is_bot: false, first_name: '赵六' },
        photo: [{ file_id: 'AgAC-s3-refused', file_unique_id: 'r', width: 800, height: 600 }],
      },
    });
    const messageId = await messageIdOf(h, 4243);
    // Refused puts wait and are tried again (the key may be fixed meanwhile); nothing is kept, nowhere.
    const row = await waitFor(async () => {
      const r = await h.db
        .selectFrom('message_files')
        .selectAll()
        .where('message_id', '=', messageId)
        .executeTakeFirst();
      return r && r.attempts >= 2 ? r : undefined;
    });
    expect(row).toMatchObject({ status: 'pending', storage_key: null, last_error: 's3 put: HTTP 403' });
    expect(s3.objects.size).toBe(0);
    expect(filesUnder(folder.dir)).toEqual([]);
    const answer = await askForFile(h, messageId);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: 'the file is not kept', details: { status: 'pending' } });
  });
});
