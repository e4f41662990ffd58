/**
 * Calendar days as `YYYY-MM-DD` strings (the API boundary's form). A calendar
 * day has no time zone; we hold it as a UTC-midnight TZDate for date-fns, so no
 * daylight-saving change can ever move it. "Today" is where the zone matters:
 * see {@link today}.
 */
import { TZDate, tz } from '@date-fns/tz';
import { addDays as dfAddDays, differenceInCalendarDays, format, getDay } from 'date-fns';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The zone stetpay reasons in: the T2 cut-offs and NWM's "today" are Paris time. */
export const PARIS = 'Europe/Paris';

/**
 * Each answer below costs date-fns a zone conversion (an Intl call or more),
 * and a run asks the same few for every bill (its clock is fixed, its dates
 * are few): the answers of these pure functions are kept, a bounded number.
 */
const answers = new Map<string, string | number>();
function remembered<T extends string | number>(key: string, compute: () => T): T {
  let v = answers.get(key) as T | undefined;
  if (v === undefined) {
    if (answers.size >= 4096) answers.clear();
    v = compute();
    answers.set(key, v);
  }
  return v;
}

function toDate(day: string): TZDate {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`expected a YYYY-MM-DD date, got '${day}'`);
  const d = new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 'UTC');
  if (format(d, 'yyyy-MM-dd') !== day) throw new RangeError(`no such date: '${day}'`);
  return d;
}

export function isCalendarDay(day: string): boolean {
  return (
    remembered(`valid ${day}`, () => {
      try {
        toDate(day);
        return 1;
      } catch {
        return 0;
      }
    }) === 1
  );
}

/** `YYYY-MM-DD` from year, month (1-12) and day. */
export function calendarDay(year: number, month: number, day: number): string {
  return format(new TZDate(year, month - 1, day, 'UTC'), 'yyyy-MM-dd');
}

export function addDays(day: string, n: number): string {
  return remembered(`add ${day} ${n}`, () => format(dfAddDays(toDate(day), n), 'yyyy-MM-dd'));
}

/** `b - a` in days. */
export function daysBetween(a: string, b: string): number {
  return remembered(`between ${a} ${b}`, () => differenceInCalendarDays(toDate(b), toDate(a)));
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: string): number {
  return remembered(`weekday ${day}`, () => getDay(toDate(day)));
}

/** Today's date in `timeZone` at the instant `now`. */
export function today(now: Date, timeZone: string = PARIS): string {
  return remembered(`day ${now.getTime()} ${timeZone}`, () => format(now, 'yyyy-MM-dd', { in: tz(timeZone) }));
}

/** The wall-clock time `HH:mm` in `timeZone` at `now`. */
export function timeOfDay(now: Date, timeZone: string = PARIS): string {
  return remembered(`time ${now.getTime()} ${timeZone}`, () => format(now, 'HH:mm', { in: tz(timeZone) }));
}

/** `now` as `YYYY-MM-DDTHH:MM:SS.SSS+HH:MM` in `timeZone` (NWM-13's first form). */
export function isoDateTimeWithOffset(now: Date, timeZone: string = PARIS): string {
  return remembered(`iso ${now.getTime()} ${timeZone}`, () => format(now, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx", { in: tz(timeZone) }));
}

/** The start of `day` in `timeZone`, as `YYYY-MM-DDT00:00:00.000+HH:MM`. */
export function startOfDayWithOffset(day: string, timeZone: string = PARIS): string {
  return remembered(`start ${day} ${timeZone}`, () => {
    const d = toDate(day);
    const local = new TZDate(d.getFullYear(), d.getMonth(), d.getDate(), timeZone);
    return format(local, "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
  });
}
