/**
 * `stetpay schedule`: plain errors for a bad cron or zone, the next run times in
 * the schedule's zone, and the schedules stored in Redis listed and removed
 * (real Redis, the real binary).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { InvalidScheduleError, nextRunTimes } from '../../worker/index.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { runStetpay } from '../support/stetpay-bin.js';

describe('commands: stetpay schedule', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  let env: Record<string, string>;
  const schedule = (...args: string[]) => runStetpay(['schedule', ...args], { env, cwd: dir, timeoutMs: 30_000 });

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'stetpay-schedule-'));
    env = { STETPAY_REDIS_URL: redis.url, STETPAY_REDIS_PREFIX: '{sched-test}' };
  });
  after(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SCHEDULE-01 the next runs are those BullMQ computes, in the zone: 02:30 Paris, 03:30 on the spring DST night, once on the autumn one', () => {
    const at = (from: string, tz = 'Europe/Paris', pattern = '0 30 2 * * *') => nextRunTimes({ pattern, tz }, new Date(from)).map((d) => d.toISOString());
    expect(at('2026-11-25T12:00:00Z')).to.deep.equal(['2026-11-26T01:30:00.000Z', '2026-11-27T01:30:00.000Z', '2026-11-28T01:30:00.000Z']);
    // 29 March 2026: 02:00 becomes 03:00 in Paris; the run that has no 02:30 starts at 03:30 (01:30Z).
    expect(at('2026-03-28T12:00:00Z')).to.deep.equal(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
    // 25 October 2026: 02:30 happens twice; the run starts once, at the first.
    expect(at('2026-10-24T12:00:00Z')).to.deep.equal(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
    // Five fields (no seconds), weekdays only, another zone.
    expect(at('2026-11-27T12:00:00Z', 'America/New_York', '0 22 * * 1-5')).to.deep.equal(['2026-11-28T03:00:00.000Z', '2026-12-01T03:00:00.000Z', '2026-12-02T03:00:00.000Z']);
    const refused = (pattern: string, tz = 'Europe/Paris') => {
      try {
        nextRunTimes({ pattern, tz });
      } catch (e) {
        expect(e).to.be.instanceOf(InvalidScheduleError);
        return (e as InvalidScheduleError).message;
      }
      throw new Error(`${pattern} ${tz} accepted`);
    };
    expect(refused('every night')).to.equal("'every night' is not a cron expression (2 fields; 5 or 6 wanted)");
    expect(refused('every night at two thirty')).to.equal("'every night at two thirty' is not a cron expression (Invalid characters, got value: every)");
    expect(refused('0 30 25 * * *')).to.equal("'0 30 25 * * *' is not a cron expression (got value 25 expected range 0-23)");
    expect(refused('0 30 2 * * *', 'Mars/Olympus')).to.equal("'Mars/Olympus' is not an IANA time zone");
  });

  it('SCHEDULE-02 a bad --cron or --tz: exit 2, one line naming the option with an example; nothing stored', async () => {
    const cron = await schedule('--cron', 'every night at two thirty');
    expect(cron).to.include({
      code: 2,
      stdout: '',
      stderr:
        "stetpay schedule: --cron 'every night at two thirty' is not a cron expression (Invalid characters, got value: every): give 6 fields (second minute hour day-of-month month day-of-week) or 5 (no seconds), e.g. --cron '0 30 2 * * *' for 02:30 every day, or '0 0 22 * * 1-5' for 22:00 on weekdays\n",
    });
    const tz = await schedule('--tz', 'Mars/Olympus');
    expect(tz).to.include({ code: 2, stdout: '', stderr: "stetpay schedule: --tz 'Mars/Olympus' is not an IANA time zone: give an IANA zone name, e.g. --tz Europe/Paris\n" });
    // From the config (STETPAY_SCHEDULE_CRON): the key is named instead of the option.
    const fromConfig = await runStetpay(['schedule'], { env: { ...env, STETPAY_SCHEDULE_CRON: '0 30 25 * * *' }, cwd: dir });
    expect(fromConfig.code).to.equal(2);
    expect(fromConfig.stderr).to.match(/^stetpay schedule: schedule\.cron in the config, '0 30 25 \* \* \*' is not a cron expression \(got value 25 expected range 0-23\): give 6 fields/);
    expect((await schedule('--list')).stdout).to.match(/^stetpay schedule: no schedule in Redis \(prefix \{sched-test\}\)/);
  });

  it('SCHEDULE-03 stored: it prints the next three nightly runs in the zone; --list shows both with their next run; --remove removes one', async () => {
    const set = await schedule('--cron', '0 0 22 * * 1-5', '--tz', 'America/New_York', '--sync-every', '10');
    expect(set.code, set.stderr).to.equal(0);
    const [first, next] = set.stdout.trim().split('\n');
    expect(first).to.equal("stetpay schedule: nightly run '0 0 22 * * 1-5' (America/New_York); status sync every 10 min. Workers started with `stetpay worker` carry them out.");
    const times = /^ {2}next nightly runs: (.+)$/.exec(next!)![1]!.split(', ');
    expect(times).to.have.length(3);
    for (const t of times) expect(t).to.match(/^(Mon|Tue|Wed|Thu|Fri) \d{4}-\d\d-\d\d 22:00 -0[45]:00$/);

    const list = await schedule('--list');
    expect(list.code, list.stderr).to.equal(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).to.equal('stetpay schedule: 2 schedule(s) in Redis (prefix {sched-test}):');
    const nightly = lines.find((l) => l.includes('stetpay-nightly-run'))!;
    expect(nightly).to.match(/^ {2}stetpay-nightly-run +cron '0 0 22 \* \* 1-5' \(America\/New_York\) +next (Mon|Tue|Wed|Thu|Fri) \d{4}-\d\d-\d\d 22:00 -0[45]:00 +\(run-batch on stetpay-run\)$/);
    expect(nightly).to.contain(`next ${times[0]}`);
    expect(lines.find((l) => l.includes('stetpay-status-sync'))).to.match(/^ {2}stetpay-status-sync +every 10 min +next .+ \(sync-statuses on stetpay-sync\)$/);

    const removed = await schedule('--remove', 'stetpay-status-sync');
    expect(removed).to.include({ code: 0, stdout: 'stetpay schedule: removed stetpay-status-sync (every 10 min, sync-statuses on stetpay-sync). `stetpay schedule` stores it again.\n' });
    const after = await schedule('--list');
    expect(after.stdout).to.contain('1 schedule(s)').and.contain('stetpay-nightly-run').and.not.contain('stetpay-status-sync');
    const again = await schedule('--remove', 'stetpay-status-sync');
    expect(again).to.include({ code: 1, stderr: "stetpay schedule: no schedule 'stetpay-status-sync' in Redis (prefix {sched-test}): `stetpay schedule --list` shows their ids\n" });
  });
});
