// The account page, which its own forms and those of other features (the break-up, the
// notifications switch) show again with their errors; and the password check they share.
import type { Context } from 'koa';
import { durationText } from '../couple/banner';
import { userOf } from '../web/auth';
import type { FieldErrors } from '../web/form';
import { viewerTimeZone } from '../web/timeZone';
import { verifyPassword } from './passwords';
import { findUserById } from './users';

/**
 * The zones to choose from, by region (America/Argentina) with the city alone on each
 * option: a whole name (America/Argentina/Rio_Gallegos) is wider than the select on a
 * 320 px phone, and a select cuts its text off rather than wrap it. The last parts are
 * unique, and the form still sends the whole name.
 */
const ZONE_GROUPS = (() => {
  const spaced = (s: string) => s.replace(/_/g, ' ');
  const groups = new Map<string, { value: string; city: string }[]>();
  for (const value of Intl.supportedValuesOf('timeZone')) {
    const cut = value.lastIndexOf('/');
    const region = spaced(value.slice(0, Math.max(cut, 0)));
    groups.set(region, [...(groups.get(region) ?? []), { value, city: spaced(value.slice(cut + 1)) }]);
  }
  return [...groups].map(([region, zones]) => ({ region, zones }));
})();

export type AccountErrors = FieldErrors<
  'current_password' | 'new_password' | 'new_password_confirm' | 'password' | 'language' | 'week_start' | 'time_zone' | 'breakup_password' | 'previews'
>;

export function renderAccount(ctx: Context, errors: AccountErrors = {}, status = 200, settings?: Record<string, string>) {
  const user = userOf(ctx);
  ctx.render(
    'accounts/account',
    {
      errors,
      zoneGroups: ZONE_GROUPS,
      // what "automatic" means on this device now: the zone its browser reported, else the app's
      viewerZone: viewerTimeZone(ctx, null),
      breakupGrace: durationText(ctx.deps.config.breakupGraceMs, ctx.state.t),
      settings: settings ?? {
        language: user.language ?? ctx.state.lang,
        week_start: String(user.weekStart),
        time_zone: user.timeZone ?? '',
      },
    },
    { status },
  );
}

export async function passwordMatches(ctx: Context, password: string): Promise<boolean> {
  const row = await findUserById(ctx.deps.db, userOf(ctx).id);
  return row !== undefined && password !== '' && (await verifyPassword(password, row.password_hash));
}
