import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors';

/** Below this much free space in the database's folder, the store reports itself full. */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * Whether SQLite can write now, without writing: the write lock (refused on a read-only file,
 * folder or file system) and one new page (refused at `max_page_count`) in a transaction that
 * is rolled back, then the free space of the file's folder (a rolled-back write never reaches
 * the disk, so a full disk is seen here, or by the writes that fail). Throws the driver's error,
 * which `guardStore` turns into `StoreUnavailableError`.
 */
export function probeSqlite(db: Database.Database): void {
  // A transaction of the bot's own is open (never across an await): it is writing, so it can.
  if (db.inTransaction) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE readiness_probe (x INTEGER)');
  } finally {
    db.exec('ROLLBACK');
  }
  if (db.memory) return;
  const { bavail, bsize } = fs.statfsSync(path.dirname(path.resolve(db.name)));
  if (bavail * bsize < MIN_FREE_BYTES)
    throw new StoreUnavailableError('full', `the disk holding ${db.name} has less than 1 MiB free`);
}
