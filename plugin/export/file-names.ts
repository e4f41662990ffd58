/** The file's message id and default name: deterministic from the database and the time (Europe/Paris). */
import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { databaseHash } from '../../connector/rules/index.js';

/** `SPX-<db hash>-<yyyyMMddHHmmss>`: 25 characters of the SEPA set, one per second per database. */
export function exportMessageId(database: string, now: Date, timeZone = 'Europe/Paris'): string {
  return `SPX-${databaseHash(database)}-${format(now, 'yyyyMMddHHmmss', { in: tz(timeZone) })}`;
}

/** `stetpay-pain001-<yyyyMMdd-HHmmss>.xml` */
export function defaultExportFileName(now: Date, timeZone = 'Europe/Paris'): string {
  return `stetpay-pain001-${format(now, 'yyyyMMdd-HHmmss', { in: tz(timeZone) })}.xml`;
}

/** `2026-11-25T10:00:00+01:00`: the file's creation time with its offset. */
export function creationDateTime(now: Date, timeZone = 'Europe/Paris'): string {
  return format(now, "yyyy-MM-dd'T'HH:mm:ssxxx", { in: tz(timeZone) });
}

/** `2026-11-25` in the zone. */
export function localDay(now: Date, timeZone = 'Europe/Paris'): string {
  return format(now, 'yyyy-MM-dd', { in: tz(timeZone) });
}
