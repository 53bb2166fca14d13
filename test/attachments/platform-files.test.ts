import { afterEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml } from '../helpers/wecom-callbacks.ts';
import { askForFile, filesUnder, messageIdOf, openLink, pdf, png, settledFile, tempFolder } from './files.ts';

const GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const OUR_TENANT = '2ed263bf32cf1651';
const ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';
const WANGFANG = 'ou_ext0000000000000000000000000001';
const KF_CUSTOMER = 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA';
const KF_ACCOUNT = 'wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA';
const MINUTE = 60_000;

/** Feishu and WeCom files are fetched from each platform's own API after the acknowledgement, and kept. */
describe.each(serverDialectsUnderTest())('platform files kept on $name', (dialect) => {
  let h: Harness;
  let folder: ReturnType<typeof tempFolder>;
  afterEach(async () => {
    await h?.close();
    folder?.remove();
  });

  it('downloads a Feishu file and picture through message resources, with the app token', async () => {
    folder = tempFolder();
    h = await startHarness(dialect, {
      feishu: true,
      clockAt: FIXTURE_TIME,
      env: { ATTACHMENTS_DIR: folder.dir },
    });
    h.feishu.chatMembers.set(GROUP, [
      { member_id: ZHANGSAN, name: '张三', tenant_key: OUR_TENANT },
      { member_id: WANGFANG, name: '王芳', tenant_key: 'ext-tenant-9f' },
    ]);
    const sends = (id: string, type: string, content: object) =>
      postFeishu(
        h,
        feishuEvent('event-im-message-group-mention.json', `evt-${id}`, (e) => {
          e.event.sender = {
            sender_id: { open_id: WANGFANG, union_id: 'on_ext1' },
            sender_type: 'user',
            tenant_key: 'ext-tenant-9f',
          };
          e.event.message = {
            ...(e.event.message as object),
            message_id: id,
            message_type: type,
            content: JSON.stringify(content),
            mentions: [],
          };
        }),
      );
    const quote = pdf(6_000);
    const picture = png(2_500);
    h.feishu.resources.set('om_file1/file_v3_00ab', {
      type: 'file',
      bytes: quote,
      contentType: 'application/pdf',
    });
    h.feishu.resources.set('om_img1/img_v3_00cd', {
      type: 'image',
      bytes: picture,
      contentType: 'image/png',
    });
    expect(
      (await sends('om_file1', 'file', { file_key: 'file_v3_00ab', file_name: '报价单.pdf' })).status,
    ).toBe(200);
    expect((await sends('om_img1', 'image', { image_key: 'img_v3_00cd' })).status).toBe(200);

    const fileMessage = await messageIdOf(h, 'om_file1');
    const imageMessage = await messageIdOf(h, 'om_img1');
    expect(await settledFile(h, fileMessage)).toMatchObject({
      status: 'stored',
      content_type: 'application/pdf',
    });
    expect(await settledFile(h, imageMessage)).toMatchObject({ status: 'stored', content_type: 'image/png' });
    const downloads = h.feishu.callsTo('GET', '/open-apis/im/v1/messages/');
    expect(downloads.map((c) => [c.path, c.query.type]).sort()).toEqual([
      ['/open-apis/im/v1/messages/om_file1/resources/file_v3_00ab', 'file'],
      ['/open-apis/im/v1/messages/om_img1/resources/img_v3_00cd', 'image'],
    ]);
    for (const c of downloads) expect(c.headers.authorization).toMatch(/^Bearer \S+$/);
    expect(filesUnder(folder.dir).filter((f) => !f.endsWith('.type'))).toHaveLength(2);

    // The (unbound) API token reaches every customer: the file comes back whole, under its own name.
    const link = (await askForFile(h, fileMessage)).headers.get('location') ?? '';
    const served = await openLink(h, link);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('报价单.pdf')}`,
    );
    expect(Buffer.from(await served.arrayBuffer()).equals(quote)).toBe(true);
  });

  it('downloads a WeChat Customer Service picture through media/get with the 微信客服 secret', async () => {
    folder = tempFolder();
    h = await startHarness(dialect, {
      wecom: true,
      clockAt: FIXTURE_TIME + 15 * MINUTE,
      env: { ATTACHMENTS_DIR: folder.dir },
    });
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '小周', unionid: 'oUnion-kf-0002' });
    const picture = png(4_000);
    h.wecom.downloads.set('MEDIA_kf_1', { bytes: picture, contentType: 'image/png', filename: 'a.png' });
    h.wecom.kfPages.push({
      errcode: 0,
      errmsg: 'ok',
      next_cursor: 'c1',
      has_more: 0,
      msg_list: [
        {
          msgid: 'kf_img_1',
          open_kfid: KF_ACCOUNT,
          external_userid: KF_CUSTOMER,
          send_time: Math.floor(FIXTURE_TIME / 1000) + 590,
          origin: 3,
          msgtype: 'image',
          image: { media_id: 'MEDIA_kf_1' },
        },
        {
          msgid: 'kf_img_2',
          open_kfid: KF_ACCOUNT,
          external_userid: KF_CUSTOMER,
          send_time: Math.floor(FIXTURE_TIME / 1000) + 595,
          origin: 3,
          msgtype: 'image',
          image: { media_id: 'MEDIA_expired' },
        },
      ],
    });
    expect((await postWecom(h, wecomXml('event-kf-msg-or-event.xml'))).status).toBe(200);

    const kept = await settledFile(h, await messageIdOf(h, 'kf_img_1'));
    expect(kept).toMatchObject({ status: 'stored', content_type: 'image/png' });
    expect(Number(kept.size)).toBe(4_000);
    const gets = h.wecom.callsTo('/cgi-bin/media/get');
    expect(gets.find((c) => c.query.media_id === 'MEDIA_kf_1')?.secret).toBe(WECOM_ENV.WECOM_KF_SECRET);
    // A media id WeCom no longer has (temporary media live 3 days) fails for good, with WeCom's reason.
    const gone = await settledFile(h, await messageIdOf(h, 'kf_img_2'));
    expect(gone).toMatchObject({ status: 'failed', storage_key: null });
    expect(gone.last_error).toContain('40007');

    const served = await openLink(h, (await askForFile(h, kept.message_id)).headers.get('location') ?? '');
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);

    // Erasing the customer removes their kept file from the storage too (swept within minutes).
    const { customer_id: customerId } = await h.db
      .selectFrom('messages')
      .select('customer_id')
      .where('id', '=', kept.message_id)
      .executeTakeFirstOrThrow();
    expect((await h.api(`/customers/${customerId}`, undefined, { method: 'DELETE' })).status).toBe(200);
    h.clock.advance(5 * MINUTE + 1_000);
    // One sweep forgets both files a row at a time: the storage can be empty while the other row is still there.
    const left = () => h.db.selectFrom('message_files').selectAll().execute();
    await waitFor(async () => filesUnder(folder.dir).length === 0 && (await left()).length === 0);
    expect(await left()).toEqual([]);
  });
});
