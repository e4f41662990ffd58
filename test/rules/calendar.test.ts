import { expect } from 'chai';
import { isoDateTimeWithOffset, startOfDayWithOffset, today } from '../../connector/rules/calendar-day.js';
import { decideExecutionDate, earliestExecutionDate } from '../../connector/rules/execution-date.js';
import { easterSunday, followingT2OpenDay, goodFriday, isT2OpenDay, t2Holidays } from '../../connector/rules/t2-calendar.js';

/** An instant given as Paris wall-clock time (the offset is stated, as Paris has it on that day). */
const paris = (local: string, offset: string): Date => new Date(`${local}${offset}`);

describe('T2 calendar and execution date', () => {
  it('computes Easter Sunday and Good Friday for 2024-2030', () => {
    const expected: Record<number, [string, string]> = {
      2024: ['2024-03-31', '2024-03-29'],
      2025: ['2025-04-20', '2025-04-18'],
      2026: ['2026-04-05', '2026-04-03'],
      2027: ['2027-03-28', '2027-03-26'],
      2028: ['2028-04-16', '2028-04-14'],
      2029: ['2029-04-01', '2029-03-30'],
      2030: ['2030-04-21', '2030-04-19'],
    };
    for (const [year, [easter, friday]] of Object.entries(expected)) {
      expect(easterSunday(Number(year)), `Easter ${year}`).to.equal(easter);
      expect(goodFriday(Number(year)), `Good Friday ${year}`).to.equal(friday);
    }
  });

  it('lists the T2 holidays of a year', () => {
    expect(t2Holidays(2026)).to.deep.equal(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01', '2026-12-25', '2026-12-26']);
  });

  it('T2 is closed on weekends and holidays, open on national holidays', () => {
    expect(isT2OpenDay('2026-11-28')).to.equal(false); // Saturday
    expect(isT2OpenDay('2026-11-29')).to.equal(false); // Sunday
    expect(isT2OpenDay('2026-05-01')).to.equal(false);
    expect(isT2OpenDay('2026-07-14')).to.equal(true); // French national day: T2 open
    expect(isT2OpenDay('2026-11-11')).to.equal(true);
  });

  it('NWM-06 moves a Saturday to Monday', () => {
    expect(followingT2OpenDay('2026-11-28')).to.equal('2026-11-30');
    expect(followingT2OpenDay('2026-11-27')).to.equal('2026-11-27');
  });

  it('NWM-06 moves Christmas across the weekend: 25 Dec 2026 (Friday) -> 28 Dec', () => {
    expect(followingT2OpenDay('2026-12-25')).to.equal('2026-12-28');
    expect(followingT2OpenDay('2027-12-25')).to.equal('2027-12-27'); // Saturday; 26 Sunday; Monday open
    expect(followingT2OpenDay('2025-12-25')).to.equal('2025-12-29'); // Thu 25, Fri 26, weekend
  });

  it('NWM-06 moves the Easter long weekend: Good Friday 2026 -> Tuesday after Easter Monday', () => {
    expect(followingT2OpenDay('2026-04-03')).to.equal('2026-04-07');
    expect(followingT2OpenDay('2026-04-05')).to.equal('2026-04-07');
  });

  it('the cut-off: before 15:00 Paris today is possible, from 15:00 the next open day', () => {
    expect(earliestExecutionDate(paris('2026-11-25T14:59:00', '+01:00'), '15:00')).to.equal('2026-11-25');
    expect(earliestExecutionDate(paris('2026-11-25T15:00:00', '+01:00'), '15:00')).to.equal('2026-11-26');
    expect(earliestExecutionDate(paris('2026-11-27T16:00:00', '+01:00'), '15:00')).to.equal('2026-11-30'); // Friday after cut-off
    expect(earliestExecutionDate(paris('2026-11-28T09:00:00', '+01:00'), '15:00')).to.equal('2026-11-30'); // Saturday
    expect(() => earliestExecutionDate(new Date(), '3pm')).to.throw(RangeError);
  });

  it('the cut-off is Paris time, in summer too', () => {
    // 12:30 UTC = 14:30 Paris (CEST): still today.
    expect(earliestExecutionDate(new Date('2026-07-01T12:30:00Z'), '15:00')).to.equal('2026-07-01');
    // 13:30 UTC = 15:30 Paris: tomorrow.
    expect(earliestExecutionDate(new Date('2026-07-01T13:30:00Z'), '15:00')).to.equal('2026-07-02');
  });

  it('today is the Paris date, whatever the machine zone', () => {
    expect(today(new Date('2026-03-28T23:30:00Z'), 'Europe/Paris')).to.equal('2026-03-29');
    expect(today(new Date('2026-03-28T22:30:00Z'), 'Europe/Paris')).to.equal('2026-03-28');
    expect(today(new Date('2026-03-28T23:30:00Z'), 'UTC')).to.equal('2026-03-28');
  });

  it('due-date policy pays on the due date, moved by FWNG', () => {
    const now = paris('2026-11-25T10:00:00', '+01:00');
    expect(decideExecutionDate('2026-12-04', now)).to.deep.equal({ kind: 'payable', executionDate: '2026-12-04', today: '2026-11-25' });
    expect(decideExecutionDate('2026-12-05', now)).to.include({ kind: 'payable', executionDate: '2026-12-07' });
  });

  it('PREC (a bank profile that moves closed days back) pays a weekend or holiday due date on the open day before', () => {
    const now = paris('2026-11-25T10:00:00', '+01:00');
    expect(decideExecutionDate('2026-12-05', now, { executionRule: 'PREC' })).to.include({ kind: 'payable', executionDate: '2026-12-04' });
    expect(decideExecutionDate('2026-12-26', now, { executionRule: 'PREC' })).to.include({ executionDate: '2026-12-24' });
    expect(decideExecutionDate('2027-03-29', now, { executionRule: 'PREC', maxDaysAhead: 200 })).to.include({ executionDate: '2027-03-25' }); // Easter Monday -> Thursday
  });

  it('NWM-03 never asks for a date before today: a past due date is paid at the first possible day', () => {
    const now = paris('2026-11-25T10:00:00', '+01:00');
    expect(decideExecutionDate('2026-10-01', now)).to.include({ kind: 'payable', executionDate: '2026-11-25' });
    expect(decideExecutionDate(null, now)).to.include({ kind: 'payable', executionDate: '2026-11-25' });
    const late = paris('2026-11-25T17:00:00', '+01:00');
    expect(decideExecutionDate('2026-11-25', late)).to.include({ kind: 'payable', executionDate: '2026-11-26' });
  });

  it('asap policy pays at the first possible day whatever the due date', () => {
    const now = paris('2026-11-25T10:00:00', '+01:00');
    expect(decideExecutionDate('2026-12-20', now, { policy: 'asap' })).to.include({ kind: 'payable', executionDate: '2026-11-25' });
  });

  it('NWM-04 leaves a bill due in 31 days for a later run, and says from when', () => {
    const now = paris('2026-11-02T10:00:00', '+01:00'); // Monday
    // 2026-12-03 is a Thursday, 31 days after 2 November.
    expect(decideExecutionDate('2026-12-03', now)).to.deep.equal({
      kind: 'not_yet_payable', executionDate: '2026-12-03', payableFrom: '2026-11-03', today: '2026-11-02',
    });
    expect(decideExecutionDate('2026-12-02', now)).to.include({ kind: 'payable', executionDate: '2026-12-02' });
  });

  it('NWM-04 counts the date after FWNG: due on day 30 but a Saturday moved to day 32 is not yet payable', () => {
    const now = paris('2026-11-02T10:00:00', '+01:00');
    // 2026-12-02 + ... : 5 Dec 2026 is a Saturday (33 days): use 28 Nov (Saturday, 26 days) -> 30 Nov payable.
    expect(decideExecutionDate('2026-11-28', now)).to.include({ kind: 'payable', executionDate: '2026-11-30' });
    const now2 = paris('2026-11-05T10:00:00', '+01:00'); // Thursday; +30 = Saturday 5 Dec
    expect(decideExecutionDate('2026-12-05', now2)).to.deep.equal({
      kind: 'not_yet_payable', executionDate: '2026-12-07', payableFrom: '2026-11-07', today: '2026-11-05',
    });
  });

  it('NWM-13 and the date-times sent: Paris offset, milliseconds', () => {
    expect(isoDateTimeWithOffset(new Date('2026-11-25T09:00:00.123Z'))).to.equal('2026-11-25T10:00:00.123+01:00');
    expect(isoDateTimeWithOffset(new Date('2026-07-01T09:00:00Z'))).to.equal('2026-07-01T11:00:00.000+02:00');
    expect(startOfDayWithOffset('2026-12-04')).to.equal('2026-12-04T00:00:00.000+01:00');
    expect(startOfDayWithOffset('2026-03-29')).to.equal('2026-03-29T00:00:00.000+01:00'); // DST starts at 02:00
    expect(startOfDayWithOffset('2026-03-30')).to.equal('2026-03-30T00:00:00.000+02:00');
  });
});
