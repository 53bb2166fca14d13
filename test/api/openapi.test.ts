import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { API_TOKEN, type Harness, startHarness } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: unknown;
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  servers?: unknown;
  security: Array<Record<string, string[]>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

/** The OpenAPI document at /api/docs: generated from the routes, so it lists exactly what the API answers. */
describe('the OpenAPI document', () => {
  let h: Harness;
  let doc: OpenApi;
  beforeAll(async () => {
    h = await startHarness(sqlite!);
    const res = await fetch(`${h.url}/api/docs`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApi;
  });
  afterAll(async () => {
    await h.close();
  });

  it('is a valid OpenAPI 3.1 document with the package’s version, needing no token to read', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.info).toMatchObject({ title: 'Liaison integration API', version: packageJson.version });
    expect(doc.servers).toBeUndefined();
    // Every operation needs the bearer token, except reading this document.
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/docs']?.get?.security).toEqual([]);
    expect(doc.paths['/api/customers']?.get?.security).toBeUndefined();
    // A retry-safe POST says so.
    expect(doc.paths['/api/customers']?.post?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
  });

  it('lists every route the app serves under /api, and nothing it does not serve', async () => {
    const served = h.server.liaison.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([^/]+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => `${m} ${path}`),
    );
    expect(new Set(served)).toEqual(new Set(documented));
    expect(documented).toEqual(
      expect.arrayContaining([
        'post /api/customers',
        'patch /api/customers/{id}',
        'post /api/customers/{id}/notes',
        'post /api/customers/{id}/tags',
        'delete /api/customers/{id}/tags/{tag}',
      ]),
    );

    // Each documented operation is answered by its route (a 4xx about the request at most), never "not found".
    for (const entry of documented) {
      const [method = '', path = ''] = entry.split(' ');
      const url = h.url + path.replace(/\{[^}]+\}/g, (p) => (p === '{id}' ? '424242' : 'x'));
      const res = await fetch(url, {
        method: method.toUpperCase(),
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        ...(method === 'get' ? {} : { body: '{}' }),
      });
      const body = (await res.json()) as { error?: string };
      expect({ entry, status: res.status, error: body.error }).not.toMatchObject({
        status: 404,
        error: 'not found',
      });
      expect(res.status, entry).toBeLessThan(500);
    }
  });

  it('does not exist when the API is off', async () => {
    const off = await startHarness(sqlite!, { env: { API_TOKEN: '' } });
    try {
      expect((await fetch(`${off.url}/api/docs`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
