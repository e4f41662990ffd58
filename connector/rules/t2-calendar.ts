/**
 * The T2 (TARGET2) calendar SEPA credit transfers settle on (ECB, since 2002):
 * closed on Saturdays, Sundays, 1 January, Good Friday, Easter Monday, 1 May,
 * 25 and 26 December. National holidays do not close T2. Easter is computed.
 */
import { addDays, calendarDay, weekday } from './calendar-day.js';

/** Easter Sunday of `year` (Gregorian), by the Meeus/Jones/Butcher algorithm. */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Easter is computed for Gregorian years, got ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return calendarDay(year, month, day);
}

export function goodFriday(year: number): string {
  return addDays(easterSunday(year), -2);
}

export function easterMonday(year: number): string {
  return addDays(easterSunday(year), 1);
}

/** The T2 holidays of `year` (weekends aside), in date order. */
export function t2Holidays(year: number): string[] {
  return [
    calendarDay(year, 1, 1),
    goodFriday(year),
    easterMonday(year),
    calendarDay(year, 5, 1),
    calendarDay(year, 12, 25),
    calendarDay(year, 12, 26),
  ].sort();
}

const holidayCache = new Map<number, ReadonlySet<string>>();
function holidaysOf(year: number): ReadonlySet<string> {
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(t2Holidays(year));
    holidayCache.set(year, set);
  }
  return set;
}

/** True when T2 settles on `day`. */
export function isT2OpenDay(day: string): boolean {
  const wd = weekday(day);
  if (wd === 0 || wd === 6) return false;
  return !holidaysOf(Number(day.slice(0, 4))).has(day);
}

/** FWNG ("following", NWM-06): `day` itself when open, else the next open day. */
export function followingT2OpenDay(day: string): string {
  let d = day;
  while (!isT2OpenDay(d)) d = addDays(d, 1);
  return d;
}

/** PREC ("preceding"): `day` itself when open, else the open day before it. */
export function precedingT2OpenDay(day: string): string {
  let d = day;
  while (!isT2OpenDay(d)) d = addDays(d, -1);
  return d;
}

/** The first open day strictly after `day`. */
export function nextT2OpenDay(day: string): string {
  return followingT2OpenDay(addDays(day, 1));
}
