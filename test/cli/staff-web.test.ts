import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffCommand } from '../../src/cli/staff.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { cliContext } from './cli-test-context.ts';

for (const dialect of dialectsUnderTest()) {
  describe(`liaison staff add web:… (the playground's people, ${dialect.name})`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await dialect.open();
    });
    afterEach(() => t.cleanup());

    const run = async (args: string[], env: Record<string, string> = {}) => {
      const ctx = cliContext(t, { env });
      const code = await staffCommand.run(args, ctx);
      return { code, out: ctx.stdout.join('\n'), err: ctx.stderr.join('\n') };
    };

    it('registers a web staff member with no platform configured, as the playground will show them', async () => {
      const added = await run(['add', 'web:alice', '--name', 'Alice', '--role', 'admin']);
      expect(added.err).toBe('');
      expect(added.code).toBe(0);
      expect(added.out).toContain('Added Alice (web:alice) as admin.');
      expect(added.out).toContain('"Acting as" on http://localhost:8787/playground');
      const identity = await t.db
        .selectFrom('staff_identities')
        .innerJoin('staff', 'staff.id', 'staff_identities.staff_id')
        .select([
          'staff_identities.platform',
          'staff_identities.external_id',
          'staff.role',
          'staff.display_name',
        ])
        .executeTakeFirstOrThrow();
      expect(identity).toEqual({
        platform: 'web',
        external_id: 'alice',
        role: 'admin',
        display_name: 'Alice',
      });
      const list = await run(['list']);
      expect(list.out).toMatch(/^\d+ +Alice +admin +- +web:alice$/m);
    });

    it('registers them where the playground is off too, saying how to turn it on', async () => {
      const added = await run(['add', 'web:bob', '--name', 'Bob', '--role', 'rep'], { PLAYGROUND: 'off' });
      expect(added.code).toBe(0);
      expect(added.out).toContain('Added Bob (web:bob) as rep.');
      expect(added.out).toContain('the playground, which is off here');
      expect(added.out).toContain('set PLAYGROUND=on');
    });

    it('still says that a chat platform without credentials is not on', async () => {
      const off = await run(['add', 'telegram:1', '--name', 'A', '--role', 'rep']);
      expect(off.code).toBe(1);
      expect(off.err).toContain('telegram is not on');
    });
  });
}
