// Reminders: with notifications on, each partner gets a push at 9:00 in their own zone the
// day before and on the day of a 100일 step, an anniversary, the D-day and the partner's
// birthday. The app's clock is walked hour by hour across those days while the app's
// instances sweep as their schedulers would, and what this test's push service received is
// counted and decrypted: once each, across a restart and two instances on one database,
// late (the same day) when the app was down at 9:00, never for a couple breaking up or
// broken up, never for a partner who turned notifications off.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db';
import { sweepDueBreakups } from '../../src/couple/takeEffect';
import { sendDueReminders, startReminders } from '../../src/reminders/schedule';
import { dayOf, wallClock } from '../../src/time';
import { backends } from '../support/backends';
import { HX, newCouple, serveInstance, type Couple, type Instance } from '../support/chatHttp';
import { startBreakup } from '../support/breakup';
import type { Client } from '../support/client';
import { testClock } from '../support/clock';
import { PushService, type Device } from '../support/pushService';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const SEOUL = 'Asia/Seoul';
const NEW_YORK = 'America/New_York';

/** What a partner's phone showed, as "local date and time  title: text", in their zone. */
type Shown = string[];

describe.each(backends())('reminders on $name', (backend) => {
  let db: Db;
  let url: string;
  let drop: () => Promise<void>;
  let service: PushService;
  const running: Instance[] = [];
  beforeAll(async () => {
    ({ db, url, drop } = await backend.create());
    service = await PushService.start();
  });
  afterEach(async () => {
    for (const i of running.splice(0)) await i.close();
    testClock.reset();
  });
  afterAll(async () => {
    await service?.close();
    await drop?.();
  });

  /** An app instance over the suite's database; `ownPool`: with connections of its own, as another process has. */
  async function instance(ownPool = false): Promise<Instance> {
    const pool = ownPool ? createDb(url) : db;
    const started = await serveInstance(pool, url);
    const stopped = {
      ...started,
      async close() {
        await started.app.context.push.idle();
        await started.close();
        if (pool !== db) await pool.destroy();
      },
    };
    running.push(stopped);
    return stopped;
  }

  /** Each instance sweeps once at the clock's time, all at once, as their minute timers may. */
  const sweep = (instances: Instance[]) => Promise.all(instances.map((i) => sendDueReminders(i.app.context, i.app.context.deps.clock.now())));

  const subscribe = async (client: Client): Promise<Device> => {
    const device = service.device();
    expect((await client.post('/push/subscriptions', device.fields, HX)).status).toBe(204);
    return device;
  };

  interface Reminded extends Couple {
    aDevice: Device;
    bDevice: Device;
  }

  /**
   * A couple as on 2027-03-10: a in Seoul reading Korean, who calls b "자기"; b in New York
   * reading English. 사귄 날 2026-12-04 (100일 on 2027-03-13, 1주년 on 2027-12-04), b born on
   * 12 March, a on 15 March, the D-day "제주 여행" on 14 March (New York's clocks go forward
   * that night). Both have a device with notifications on.
   */
  async function remindedCouple(base: string, tag: string): Promise<Reminded> {
    const c = await newCouple(base, db, tag);
    await c.a.get('/account');
    expect((await c.a.post('/account/settings', { language: 'ko', week_start: '0', time_zone: SEOUL })).status).toBe(303);
    await c.b.get('/account');
    expect((await c.b.post('/account/settings', { language: 'en', week_start: '0', time_zone: NEW_YORK })).status).toBe(303);
    await c.a.get('/calendar?month=2027-03');
    expect((await c.a.post('/calendar/events', { date: '2027-03-14', title: '제주 여행' })).status).toBe(303);
    const plan = await db('calendar_events').where({ couple_id: c.coupleId }).first('id');
    expect((await c.a.post(`/calendar/events/${plan.id}/dday`)).status).toBe(303);
    // the couple profile's form sets these (POST /couple/profile); until it lands, straight into its columns
    await db('couples').where({ id: c.coupleId }).update({ started_on: '2026-12-04' });
    await db('users').where({ id: c.aId }).update({ birthday: '1996-03-15', partner_nickname: '자기' });
    await db('users').where({ id: c.bId }).update({ birthday: '1997-03-12' });
    const [aDevice, bDevice] = [await subscribe(c.a), await subscribe(c.b)];
    return { ...c, aDevice, bDevice };
  }

  /** What reached each device, read after every step of the walk and stamped with the step's time in the device owner's zone. */
  function phones(devices: Array<{ device: Device; zone: string }>) {
    const shown: Shown[] = devices.map(() => []);
    const seen = devices.map(() => 0);
    return {
      shown,
      look(now: number) {
        devices.forEach(({ device, zone }, i) => {
          const pushes = service.pushesTo(device);
          for (const push of pushes.slice(seen[i])) {
            const { title, body } = PushService.payload(push, device);
            const { hour, minute } = wallClock(now, zone);
            shown[i].push(`${dayOf(now, zone)} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}  ${title}: ${body}`);
          }
          seen[i] = pushes.length;
        });
      },
    };
  }

  /** The clock walked an hour at a time from `from` to `to`, each step running `step` at the new time. */
  async function walk(from: string, to: string, step: (now: number) => Promise<void>): Promise<void> {
    for (let now = at(from); now <= at(to); now += HOUR) {
      testClock.standAt(now);
      await step(now);
    }
  }

  it('reminds each partner at 9:00 in their own zone, the day before and on the day, once, across two instances and a restart', async () => {
    testClock.standAt(at('2027-03-10T00:00:00Z'));
    let first = await instance();
    const second = await instance(true);
    const c = await remindedCouple(first.url, 'rem');
    const seen = phones([
      { device: c.aDevice, zone: SEOUL },
      { device: c.bDevice, zone: NEW_YORK },
    ]);
    const step = async (now: number) => {
      if (now === at('2027-03-12T03:00:00Z')) {
        // noon in Seoul, the morning's sent: the first instance restarts, and sweeps at start-up as src/server.ts has it do
        await first.close();
        first = await instance();
        const scheduler = startReminders(first.app.context);
        await scheduler.firstSweep;
        await scheduler.stop();
      }
      await sweep([first, second]);
      seen.look(now);
    };
    await walk('2027-03-10T12:00:00Z', '2027-03-16T00:00:00Z', step);
    await walk('2027-12-02T12:00:00Z', '2027-12-05T00:00:00Z', step);

    const [a, b] = seen.shown;
    expect(a.sort()).toEqual([
      '2027-03-11 09:00  자기: 내일은 자기의 생일이에요',
      '2027-03-12 09:00  자기: 내일은 우리 100일이에요',
      '2027-03-12 09:00  자기: 오늘은 자기의 생일이에요',
      '2027-03-13 09:00  자기: 내일은 D-Day예요: 제주 여행',
      '2027-03-13 09:00  자기: 오늘은 우리 100일이에요',
      '2027-03-14 09:00  자기: 오늘은 D-Day예요: 제주 여행',
      '2027-12-03 09:00  자기: 내일은 우리 1주년이에요',
      '2027-12-04 09:00  자기: 오늘은 우리 1주년이에요',
    ]);
    const A = c.aLogin; // b calls a by nothing else yet
    expect(b.sort()).toEqual(
      [
        `2027-03-12 09:00  ${A}: Tomorrow is day 100 together`,
        `2027-03-13 09:00  ${A}: Today is day 100 together`,
        `2027-03-13 09:00  ${A}: Tomorrow is D-Day: 제주 여행`,
        `2027-03-14 09:00  ${A}: Today is D-Day: 제주 여행`, // 13:00 UTC: New York on summer time since 02:00
        `2027-03-14 09:00  ${A}: Tomorrow is ${A}’s birthday`,
        `2027-03-15 09:00  ${A}: Today is ${A}’s birthday`,
        `2027-12-03 09:00  ${A}: Tomorrow is our 1-year anniversary`,
        `2027-12-04 09:00  ${A}: Today is our 1-year anniversary`,
      ].sort(),
    );
    expect(await db('reminders_sent').where({ couple_id: c.coupleId }).count({ n: '*' })).toEqual([{ n: 16 }]);
  });

  it('sends what was due at 9:00 when the app comes back the same day, and nothing it could not send by 21:00', async () => {
    testClock.standAt(at('2027-03-10T00:00:00Z'));
    let app: Instance | null = await instance();
    const c = await remindedCouple(app.url, 'remd');
    const seen = phones([
      { device: c.aDevice, zone: SEOUL },
      { device: c.bDevice, zone: NEW_YORK },
    ]);
    const down = new Set([at('2027-03-11T20:00:00Z'), at('2027-03-12T20:00:00Z')]); // 05:00 in Seoul on the 12th and the 13th
    const up = new Set([at('2027-03-12T05:00:00Z'), at('2027-03-13T12:00:00Z')]); // back at 14:00 in Seoul, and at 21:00
    await walk('2027-03-10T12:00:00Z', '2027-03-14T13:00:00Z', async (now) => {
      if (down.has(now)) {
        await app!.close();
        app = null;
      }
      if (up.has(now)) {
        app = await instance();
        const scheduler = startReminders(app.app.context); // as src/server.ts starts it: a sweep at once
        await scheduler.firstSweep;
        await scheduler.stop();
      }
      if (app) await sweep([app]);
      seen.look(now);
    });

    const [a, b] = seen.shown;
    expect(a.sort()).toEqual([
      '2027-03-11 09:00  자기: 내일은 자기의 생일이에요',
      '2027-03-12 14:00  자기: 내일은 우리 100일이에요',
      '2027-03-12 14:00  자기: 오늘은 자기의 생일이에요',
      // the 13th's (오늘은 우리 100일, 내일은 D-Day) were owed from 9:00, but the app came back at 21:00
      '2027-03-14 09:00  자기: 오늘은 D-Day예요: 제주 여행',
    ]);
    const A = c.aLogin;
    expect(b.sort()).toEqual(
      [
        `2027-03-12 09:00  ${A}: Tomorrow is day 100 together`,
        `2027-03-13 09:00  ${A}: Today is day 100 together`,
        `2027-03-13 09:00  ${A}: Tomorrow is D-Day: 제주 여행`,
        `2027-03-14 09:00  ${A}: Today is D-Day: 제주 여행`,
        `2027-03-14 09:00  ${A}: Tomorrow is ${A}’s birthday`,
      ].sort(),
    );
  });

  it('reminds nobody of a couple whose break-up is pending (again once it is taken back) or has taken effect', async () => {
    testClock.standAt(at('2027-03-10T00:00:00Z'));
    const app = await instance();
    const parting = await remindedCouple(app.url, 'remp');
    const parted = await remindedCouple(app.url, 'remx');
    expect((await startBreakup(parted.a)).status).toBe(303);
    const due = Number((await db('couples').where({ id: parted.coupleId }).first('breakup_due_at')).breakup_due_at);
    expect(await sweepDueBreakups(app.app.context, due)).toBe(1); // as the break-up sweep does once it is due
    expect(await db('couples').where({ id: parted.coupleId }).first()).toBeUndefined();

    const seen = phones([
      { device: parting.aDevice, zone: SEOUL },
      { device: parting.bDevice, zone: NEW_YORK },
      { device: parted.aDevice, zone: SEOUL },
      { device: parted.bDevice, zone: NEW_YORK },
    ]);
    await walk('2027-03-10T12:00:00Z', '2027-03-16T00:00:00Z', async (now) => {
      if (now === at('2027-03-12T03:00:00Z')) {
        // noon in Seoul: b asks to break up
        expect((await startBreakup(parting.b)).status).toBe(303);
      }
      if (now === at('2027-03-13T05:00:00Z')) {
        // 14:00 in Seoul the next day: b takes it back
        await parting.b.get('/account');
        expect((await parting.b.post('/couple/breakup/cancel')).status).toBe(303);
      }
      await sweep([app]);
      seen.look(now);
    });

    const [a, b, formerA, formerB] = seen.shown;
    expect(a.sort()).toEqual([
      '2027-03-11 09:00  자기: 내일은 자기의 생일이에요',
      '2027-03-12 09:00  자기: 내일은 우리 100일이에요',
      '2027-03-12 09:00  자기: 오늘은 자기의 생일이에요',
      '2027-03-13 14:00  자기: 내일은 D-Day예요: 제주 여행',
      '2027-03-13 14:00  자기: 오늘은 우리 100일이에요',
      '2027-03-14 09:00  자기: 오늘은 D-Day예요: 제주 여행',
    ]);
    const A = parting.aLogin;
    expect(b.sort()).toEqual(
      [
        // the 12th's "Tomorrow is day 100" was due at 9:00 in New York, after b asked to break up
        `2027-03-13 09:00  ${A}: Today is day 100 together`,
        `2027-03-13 09:00  ${A}: Tomorrow is D-Day: 제주 여행`,
        `2027-03-14 09:00  ${A}: Today is D-Day: 제주 여행`,
        `2027-03-14 09:00  ${A}: Tomorrow is ${A}’s birthday`,
        `2027-03-15 09:00  ${A}: Today is ${A}’s birthday`,
      ].sort(),
    );
    expect([formerA, formerB]).toEqual([[], []]);
  });

  it('reminds nobody who turned notifications off', async () => {
    testClock.standAt(at('2027-03-10T00:00:00Z'));
    const app = await instance();
    const c = await remindedCouple(app.url, 'remo');
    await c.b.get('/account');
    expect((await c.b.post('/push/subscriptions/delete', { endpoint: c.bDevice.endpoint })).status).toBe(303);
    const seen = phones([
      { device: c.aDevice, zone: SEOUL },
      { device: c.bDevice, zone: NEW_YORK },
    ]);
    await walk('2027-03-10T12:00:00Z', '2027-03-16T00:00:00Z', async (now) => {
      await sweep([app]);
      seen.look(now);
    });
    const [a, b] = seen.shown;
    expect(a).toHaveLength(6);
    expect(b).toEqual([]);
    expect(await db('reminders_sent').where({ user_id: c.bId }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
