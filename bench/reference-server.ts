// The in-run reference: a bare Hono server doing one prepared better-sqlite3 INSERT per POST.
// With FLOOR=1 it does nothing but answer 200: the floor this machine and client can measure.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const db = new Database(join(mkdtempSync(join(tmpdir(), 'liaison-ref-')), 'ref.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('create table updates (id integer primary key, body text not null)');
const insert = db.prepare('insert into updates (body) values (?)');

const floor = process.env.FLOOR === '1';
const app = new Hono();
app.post('/webhooks/:platform', async (c) => {
  const body = await c.req.text();
  if (!floor) insert.run(body);
  return c.body(null, 200);
});
app.get('/count', (c) => c.json(db.prepare('select count(*) as n from updates').get()));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`READY http://127.0.0.1:${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
