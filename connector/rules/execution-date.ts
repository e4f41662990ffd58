/**
 * When a bill is paid: the requested execution date. Pure: the clock (`now`)
 * and the zone are arguments, the calendar is T2's.
 *
 * - earliest possible day: today when T2 is open and the cut-off has not
 *   passed (Paris time), else the next T2 open day (NWM-03: never before today);
 * - policy `due-date` (default): the due date moved by FWNG to an open day
 *   (NWM-06; a PREC bank moves it back instead), or the earliest day when the due date is past or missing;
 *   policy `asap`: the earliest day;
 * - a date more than `maxDaysAhead` days after today (NWM-04) is not an error:
 *   the bill is not yet payable and a later run picks it up from `payableFrom`.
 */
import { addDays, daysBetween, PARIS, timeOfDay, today } from './calendar-day.js';
import { followingT2OpenDay, isT2OpenDay, nextT2OpenDay, precedingT2OpenDay } from './t2-calendar.js';

export type ExecutionPolicy = 'due-date' | 'asap';

export interface ExecutionDateOptions {
  /** @defaultValue 'due-date' */
  policy?: ExecutionPolicy;
  /** `HH:MM`, wall-clock time in `timeZone` after which today is no longer possible. @defaultValue '15:00' */
  cutoffTime?: string;
  /** @defaultValue 'Europe/Paris' */
  timeZone?: string;
  /** The bank's window (NWM-04: 30). @defaultValue 30 */
  maxDaysAhead?: number;
  /** How the bank moves a closed due date: FWNG, the next open day (NWM-06), or PREC, the one before. @defaultValue 'FWNG' */
  executionRule?: 'FWNG' | 'PREC';
}

export type ExecutionDateDecision =
  | { kind: 'payable'; executionDate: string; today: string }
  | {
      kind: 'not_yet_payable';
      /** The (FWNG) date the bill will be paid on. */
      executionDate: string;
      /** The first day on which that date falls inside the bank's window: run again from then. */
      payableFrom: string;
      today: string;
    };

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isCutoffTime(value: string): boolean {
  return HHMM.test(value);
}

/** The first day a payment requested at `now` can be executed. */
export function earliestExecutionDate(now: Date, cutoffTime = '15:00', timeZone = PARIS): string {
  if (!HHMM.test(cutoffTime)) throw new RangeError(`cut-off time must be HH:MM (24 h), got '${cutoffTime}'`);
  const day = today(now, timeZone);
  if (isT2OpenDay(day) && timeOfDay(now, timeZone) < cutoffTime) return day;
  return nextT2OpenDay(day);
}

/** Picks the requested execution date of a bill due on `dueDate` (YYYY-MM-DD or null). */
export function decideExecutionDate(dueDate: string | null, now: Date, options: ExecutionDateOptions = {}): ExecutionDateDecision {
  const { policy = 'due-date', cutoffTime = '15:00', timeZone = PARIS, maxDaysAhead = 30, executionRule = 'FWNG' } = options;
  const todayDay = today(now, timeZone);
  const earliest = earliestExecutionDate(now, cutoffTime, timeZone);
  let executionDate = earliest;
  if (policy === 'due-date' && dueDate !== null && dueDate > earliest) {
    // PREC never lands before `earliest`: that is an open day before the due date.
    executionDate = executionRule === 'PREC' ? precedingT2OpenDay(dueDate) : followingT2OpenDay(dueDate);
  }
  if (daysBetween(todayDay, executionDate) > maxDaysAhead) {
    return { kind: 'not_yet_payable', executionDate, payableFrom: addDays(executionDate, -maxDaysAhead), today: todayDay };
  }
  return { kind: 'payable', executionDate, today: todayDay };
}
