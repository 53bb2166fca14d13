import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src/cli/sync.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { installDirectory, seedDirectory } from '../helpers/fake-wecom-directory.ts';
import { WECOM_ENV } from '../helpers/harness.ts';
import { cliContext } from './cli-test-context.ts';

for (const dialect of dialectsUnderTest()) {
  describe(`liaison sync wecom on ${dialect.name}`, () => {
    let t: TestDatabase;
    let wecom: FakeWecom;
    beforeEach(async () => {
      t = await dialect.open();
      wecom = await new FakeWecom({
        corpId: WECOM_ENV.WECOM_CORP_ID,
        secrets: [WECOM_ENV.WECOM_AGENT_SECRET, WECOM_ENV.WECOM_CONTACT_SECRET],
      }).start();
    });
    afterEach(async () => {
      await wecom.close();
      await t.cleanup();
    });

    const context = () => cliContext(t, { env: { ...WECOM_ENV, WECOM_API_BASE: wecom.apiBase } });

    it('reads the book with progress, says what changed, and nothing the second time', async () => {
      const dir = installDirectory(wecom);
      seedDirectory(wecom, dir, { members: 4, contacts: 180 });
      wecom.script('/cgi-bin/externalcontact/batch/get_by_user', {
        body: { errcode: 45009, errmsg: 'api freq out of limit' },
      });
      const first = context();
      expect(await syncCommand.run(['wecom'], first)).toBe(0);
      expect(first.stdout).toEqual([
        'Read 4 members, 198 customer relations, 0 groups.',
        '  4 new staff members',
        '  180 customers created',
      ]);
      expect(first.stderr.some((l) => l.startsWith('Storing contacts: '))).toBe(true);
      expect(first.stderr.some((l) => l.includes('sync paused by a refusal') && l.includes('45009'))).toBe(
        true,
      );
      const second = context();
      expect(await syncCommand.run(['wecom'], second)).toBe(0);
      expect(second.stdout).toEqual([
        'Read 4 members, 198 customer relations, 0 groups.',
        'Nothing changed: Liaison already agreed with WeCom.',
      ]);
    }, 60_000);

    it('says how to use it, and refuses without WeCom', async () => {
      const bad = context();
      expect(await syncCommand.run(['feishu'], bad)).toBe(2);
      const off = cliContext(t);
      expect(await syncCommand.run(['wecom'], off)).toBe(1);
      expect(off.stderr.join('\n')).toMatch(/WeCom is not configured/);
    });
  });
}
