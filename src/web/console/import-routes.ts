import { type Context, Hono, type Next } from 'hono';
import { DEFAULT_IMPORT_MAX_MB } from '../../config-web.ts';
import { type Lang, languageOf, languageOfHeader, messages } from '../../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { exportCustomerList } from '../../core/reading/segments/export-list.ts';
import { problemText } from '../../core/records/customers/values.ts';
import { EXPORT_COLUMNS, type ExportedCustomer } from '../../core/records/imports/export-customers.ts';
import {
  IMPORT_MAX_ROWS,
  type ImportJobView,
  importJob,
  type JobOutcome,
  previewImport,
  recentImportJobs,
  startImport,
} from '../../core/records/imports/import-jobs.ts';
import { stepImport } from '../../core/records/imports/import-steps.ts';
import { readTableBytes, sniffTable } from '../../lib/table-bytes.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';
import { type ExportFormat, tableStream } from './table-stream.ts';

/** Where the page posts a file: its body is the file's bytes (not JSON), up to IMPORT_MAX_MB. */
const UPLOAD_PATH = '/app/api/console/import/uploads';

const words = (lang: Lang) => messages(lang).webApp.console.import;
const langOf = (c: Context<WebEnv>): Lang => languageOf(requestSession(c).staff.language);

/** Whether a request is the console's file upload (routes.ts lets it past the small-body limit, to `uploadWithin`). */
export const isImportUpload = (path: string): boolean => path === UPLOAD_PATH;

/**
 * The upload's own body limit, in place of the small one every other write has: the bytes read (a declared length
 * checked before reading), refused with a 413 the page shows when over `maxBytes`, and handed on as bytes.
 */
export async function uploadWithin(c: Context, next: Next, maxBytes = DEFAULT_IMPORT_MAX_MB * 1_048_576) {
  const tooLarge = () => {
    const mb = String(Math.round((maxBytes / 1_048_576) * 10) / 10);
    const lang = languageOfHeader(c.req.header('accept-language'));
    return c.json({ error: words(lang).tooLarge.replace('{max}', mb) }, 413);
  };
  const declared = c.req.header('content-length');
  if (declared !== undefined && !(Number(declared) <= maxBytes)) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = c.req.raw.body?.getReader();
  for (;;) {
    const read = await reader?.read();
    if (!read || read.done) break;
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      return tooLarge();
    }
    chunks.push(read.value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body });
  await next();
}

/**
 * The import and export screen's JSON, under /app/api/console/import: a file uploaded and planned (the preview, nothing
 * written), the job started, written a step at a time as the page asks, and read back; and the customer list exported
 * as CSV or XLSX, streamed.
 */
export function importRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));
  // A job as the page shows it: each problem row's reason in the staff member's language.
  const shown = (c: Context<WebEnv>, job: ImportJobView): ImportJobView => ({
    ...job,
    preview: {
      ...job.preview,
      problems: job.preview.problems.map((p) =>
        p.problem ? { ...p, reason: problemText(p.problem, langOf(c)) } : p,
      ),
    },
  });
  const jobAnswer = (c: Context<WebEnv>, outcome: JobOutcome) => {
    if (outcome.kind === 'job') return c.json(shown(c, outcome.job));
    if (outcome.kind === 'forbidden')
      return c.json({ error: messages(langOf(c)).webApp.console.managersOnly }, 403);
    return c.json({ error: words(langOf(c)).noSuchJob }, 404);
  };
  const idOf = (c: Context<WebEnv>) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : 0;
  };

  app.post('/uploads', async (c) => {
    const t = words(langOf(c));
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const format = sniffTable(bytes);
    if (!format) return c.json({ error: t.notCsvOrXlsx }, 415);
    const table = await readTableBytes(bytes, format).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
    if (table instanceof Error) return c.json({ error: t.unreadable + table.message }, 422);
    const digest = await sha256(bytes);
    const fileName = (c.req.query('name') ?? '').trim() || `upload.${format}`;
    const key = c.req.header('idempotency-key')?.slice(0, 100) || crypto.randomUUID();
    const outcome = await previewImport(
      core,
      actorOf(c),
      { table, fileName, digest },
      `web:import:${requestSession(c).staff.id}:${key}`,
    );
    switch (outcome.kind) {
      case 'previewed':
        return c.json(shown(c, outcome.job));
      case 'forbidden':
        return c.json({ error: messages(langOf(c)).webApp.console.managersOnly }, 403);
      case 'empty':
        return c.json({ error: t.emptyFile }, 422);
      case 'too_many_rows':
        return c.json({ error: t.tooManyRows.replace('{max}', String(IMPORT_MAX_ROWS)) }, 413);
      case 'no_name_column':
        return c.json({ error: t.noNameColumn }, 422);
      case 'bad_columns':
        return c.json({ error: t.badColumns + outcome.problems.join('; ') }, 422);
    }
  });

  app.get('/jobs', async (c) =>
    c.json({ items: (await recentImportJobs(core, actorOf(c))).map((job) => shown(c, job)) }),
  );
  app.get('/jobs/:id', async (c) => jobAnswer(c, await importJob(core, actorOf(c), idOf(c))));
  app.post('/jobs/:id/run', async (c) => jobAnswer(c, await startImport(core, actorOf(c), idOf(c))));
  app.post('/jobs/:id/step', async (c) => {
    // WeChat unionids in a file become identities of the installation that reports them (as `liaison import` does).
    const reporter = core.adapters.get('wecom');
    const outcome = await stepImport(core, actorOf(c), idOf(c), {
      unionIdsOn: { platform: 'wecom', workspace: reporter?.workspace ?? '' },
    });
    return jobAnswer(c, outcome);
  });

  app.get('/export', async (c) => {
    const q = c.req.query();
    const format: ExportFormat = q.format === 'xlsx' ? 'xlsx' : 'csv';
    const owner =
      q.owner === undefined || q.owner === '' ? undefined : q.owner === 'none' ? 'none' : Number(q.owner);
    if (typeof owner === 'number' && !(Number.isSafeInteger(owner) && owner > 0))
      return c.json({ error: 'owner is a staff id or none', field: 'owner' }, 400);
    const given = (v: string | undefined) => (v?.trim() ? v.trim().slice(0, 200) : undefined);
    const query = Object.fromEntries(
      Object.entries({
        q: given(q.q),
        stage: given(q.stage),
        tag: given(q.tag),
        source: given(q.source),
        segment: given(q.segment),
        owner,
      }).filter(([, v]) => v !== undefined),
    );
    const actor = actorOf(c);
    // The refusals (a rep, an unknown segment) come before the first row: until then the answer can still be one.
    let started: (value: 'rows') => void = () => undefined;
    const firstRows = new Promise<'rows'>((resolve) => {
      started = resolve;
    });
    const body = tableStream(format, [...EXPORT_COLUMNS], async (row) => {
      const outcome = await exportCustomerList(core, actor, query, async (batch) => {
        started('rows');
        for (const customer of batch) await row(cellsOf(customer));
      });
      started('rows');
      return outcome.kind;
    });
    const first = await Promise.race([firstRows, body.outcome]);
    if (first !== 'rows' && first !== 'exported') {
      if (first === 'forbidden')
        return c.json({ error: messages(langOf(c)).webApp.console.managersOnly }, 403);
      return c.json({ error: 'no such segment', field: 'segment' }, first === 'unknown_segment' ? 404 : 422);
    }
    const day = new Date(core.clock.now()).toISOString().slice(0, 10);
    return new Response(body.stream, {
      headers: {
        'content-type':
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="customers-${day}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });

  return app;
}

/** A customer as a row of the export's columns (the CLI's, so an export imports back). */
function cellsOf(c: ExportedCustomer): Array<string | number | null> {
  return [
    c.id,
    c.name,
    c.company,
    c.phone,
    c.email,
    c.stage,
    c.owner,
    c.ownerName,
    c.tags.join(','),
    c.unionId,
    c.source,
    new Date(c.firstContactAt).toISOString(),
    c.lastContactAt === null ? null : new Date(c.lastContactAt).toISOString(),
  ];
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}
