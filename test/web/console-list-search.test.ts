// The console's customer list searches as `/find` does, through the search keys: a Simplified query finds a name or
// company written in Traditional and the reverse, and 4+ phone digits in any format find the number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN } from './console-people.ts';
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

describe.each(serverDialectsUnderTest())('the console list text filter on $name', (dialect) => {
  let h: Harness;
  let admin: WebClient;
  const ids: Record<string, number> = {};

  const create = async (key: string, customer: Record<string, string>) => {
    const res = await h.api<{ id: number }>('/customers', undefined, {
      method: 'POST',
      body: JSON.stringify(customer),
    });
    expect(res.status).toBe(201);
    ids[key] = res.body.id;
  };
  /** The names the list shows for `q`, in list order. */
  const found = async (q: string) => {
    const res = await admin.request(`/app/api/console/customers?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Array<{ id: number }> };
    return page.items.map((r) => Object.keys(ids).find((k) => ids[k] === r.id)).sort();
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    await create('chenwei', { name: '陳偉', company: '深圳華信科技有限公司', phone: '+86 138 1234 5678' });
    await create('liulihua', { name: '刘丽华', phone: '13987654321' });
    await create('colleague', { name: '陈伟明的同事', company: '广州宏达贸易' });
    await create('xiaoyu', { name: '陳小雨', phone: '13800005678' });
    admin = await signInByLink(h, ADMIN);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('finds names and companies across Traditional and Simplified spellings', async () => {
    expect(await found('陈伟')).toEqual(['chenwei', 'colleague']);
    expect(await found('劉麗華')).toEqual(['liulihua']);
    expect(await found('陳伟')).toEqual(['chenwei', 'colleague']);
    expect(await found('华信')).toEqual(['chenwei']);
    expect(await found('華信科技')).toEqual(['chenwei']);
    // One character has no search key: still found, by the walk in list order.
    expect(await found('陳')).toEqual(['chenwei', 'colleague', 'xiaoyu']);
    expect(await found('陈伟明的同学')).toEqual([]);
  });

  it('finds phones by 4+ digits in any format, and by #id', async () => {
    expect(await found('5678')).toEqual(['chenwei', 'xiaoyu']);
    expect(await found('8765')).toEqual(['liulihua']);
    expect(await found('138-1234-5678')).toEqual(['chenwei']);
    expect(await found('+86 139 8765 4321')).toEqual(['liulihua']);
    expect(await found('99998888')).toEqual([]);
    expect(await found(`#${ids.xiaoyu}`)).toEqual(['xiaoyu']);
  });
});
