import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Why SQLite could not open (or create) the file at `path`, as the file system explains it: SQLite's own "unable to
 * open database file" names neither the file nor the cause. Reads only.
 */
export function sqliteOpenProblem(path: string, error: unknown): string {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database (or is encrypted)';
  if (code.startsWith('SQLITE_CORRUPT')) return `the file is damaged (${message}) — restore it from a backup`;
  if (!existsSync(path)) return sqliteCreateProblem(path) ?? `${message}${code ? ` (${code})` : ''}`;
  if (statSync(path).isDirectory())
    return 'that is a folder, not a file — name a file, e.g. ./data/liaison.sqlite';
  if (!can(path, constants.R_OK)) return 'no permission to read the file (check its owner and mode)';
  const folder = dirname(resolve(path));
  if (!can(folder, constants.W_OK))
    return `the folder ${folder} is read-only: SQLite creates ${basename(path)}-wal and -shm next to the file`;
  if (code.startsWith('SQLITE_READONLY') || !can(path, constants.W_OK))
    return 'the file is read-only (make it writable for the user running Liaison)';
  return `${message}${code ? ` (${code})` : ''}`;
}

/**
 * Why a SQLite file that does not exist yet could not be created, or null when it can: the nearest folder that
 * exists must be a folder this user may write in (the missing ones below it are created). Creates nothing.
 */
export function sqliteCreateProblem(path: string): string | null {
  const wanted = dirname(resolve(path));
  let folder = wanted;
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) return `${folder} is a file, so the folder ${wanted} cannot be made`;
  if (!can(folder, constants.W_OK | constants.X_OK))
    return folder === wanted
      ? `no permission to create files in the folder ${folder}`
      : `the folder ${wanted} does not exist and cannot be created (no permission to write in ${folder})`;
  return null;
}

function can(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
