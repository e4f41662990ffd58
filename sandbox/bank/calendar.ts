/** Paris dates and TARGET2 business days for the sandbox clock (NWM-03, -04, -06). */
import { TZDate } from '@date-fns/tz';
import { addDays, format, getDay, parseISO } from 'date-fns';

export const BANK_TIME_ZONE = 'Europe/Paris';

/** yyyy-MM-dd in Europe/Paris of an instant. */
export function parisDate(at: Date | number): string {
  return format(new TZDate(typeof at === 'number' ? at : at.getTime(), BANK_TIME_ZONE), 'yyyy-MM-dd');
}

/** yyyy-MM-dd plus n calendar days (pure date arithmetic, no zone involved). */
export function addDaysToDate(date: string, days: number): string {
  return format(addDays(parseISO(date), days), 'yyyy-MM-dd');
}

/** Easter Sunday (Gregorian, anonymous algorithm) as yyyy-MM-dd. */
function easterSunday(year: number): string {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100;
  const d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30, i = Math.floor(c / 4), k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** TARGET2 closing days: weekends, 1 Jan, Good Friday, Easter Monday, 1 May, 25 and 26 Dec. */
export function isBusinessDay(date: string): boolean {
  const weekday = getDay(parseISO(date));
  if (weekday === 0 || weekday === 6) return false;
  const mmdd = date.slice(5);
  if (['01-01', '05-01', '12-25', '12-26'].includes(mmdd)) return false;
  const easter = easterSunday(Number(date.slice(0, 4)));
  return date !== addDaysToDate(easter, -2) && date !== addDaysToDate(easter, 1);
}

/** NWM-06 execution rule FWNG: a closing day moves to the next business day. */
export function followingBusinessDay(date: string): string {
  let d = date;
  while (!isBusinessDay(d)) d = addDaysToDate(d, 1);
  return d;
}
