/**
 * Why a database URL names nothing Liaison opens, or null: PostgreSQL (`postgres://`, `postgresql://`), or SQLite (a
 * path, `sqlite:` or `file:`). Names the scheme only, never the rest (which may hold a password).
 */
export function databaseKindProblem(url: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || ['postgres', 'postgresql', 'sqlite', 'file'].includes(scheme)) return null;
  // One letter before a colon is a Windows drive (C:\data\liaison.sqlite).
  if (scheme.length === 1) return null;
  return `DATABASE_URL: "${scheme}:" is not a database Liaison opens — use a SQLite path (./data/liaison.sqlite) or postgres://user:password@host/database`;
}
