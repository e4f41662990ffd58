/**
 * A fresh link to the signatory's page, for the operator to send by hand: when
 * the morning's to-do did not arrive, its link was spent in another browser,
 * or it expired. The same signed, expiring, one-use link as the to-do's, only
 * for a configured signatory (activities.signatories): the page lists every
 * payment waiting, so stetpay never makes a link for anyone else.
 */
import { findPeople, type OdooClient, type OdooPerson, type Recipients } from '../../connector/odoo/index.js';
import { CommandRefusal } from '../cli-args.js';
import { signatoryLink } from './signatory-routes.js';

/** Why no link was made (nothing was changed either way); stable for scripts and tests. */
export type LinkRefusal = 'no_signatories' | 'not_a_signatory';

export class SignatoryLinkRefusedError extends CommandRefusal<LinkRefusal> {}

export interface NewLinksDeps {
  odoo: OdooClient;
  /** activities.signatories */
  signatories: Recipients;
  callback: { publicUrl: string; secret: string };
  /** Hours each link opens the page. */
  hours: number;
  now?: () => Date;
}

export interface NewLink {
  person: OdooPerson;
  url: string;
  expiresAt: Date;
}

const named = (r: Recipients): string => [r.users?.length ? `users ${r.users.join(', ')}` : '', r.group ? `group ${r.group}` : ''].filter(Boolean).join(' and ');

/** One link per configured signatory, or only for `login` (who must be one of them). */
export async function newSignatoryLinks(deps: NewLinksDeps, login?: string): Promise<NewLink[]> {
  if (!deps.signatories.users?.length && !deps.signatories.group) {
    throw new SignatoryLinkRefusedError('no_signatories', 'no signatory is configured: name their Odoo login in activities.signatories.users (or a group in activities.signatories.group; env STETPAY_SIGNATORIES), then ask again. No link was made.');
  }
  const people = await findPeople(deps.odoo, deps.signatories);
  let chosen = people;
  if (login !== undefined) {
    const [person] = await findPeople(deps.odoo, { users: [login] });
    chosen = person ? people.filter((p) => p.id === person.id) : [];
    if (chosen.length === 0) {
      throw new SignatoryLinkRefusedError(
        'not_a_signatory',
        `${person ? `${person.name} (${login})` : `no active Odoo user has the login ${login}; so ${login}`} is not one of the signatories (activities.signatories: ${named(deps.signatories)}). Add the login there first. No link was made.`,
      );
    }
  }
  if (chosen.length === 0) {
    throw new SignatoryLinkRefusedError('no_signatories', `no active Odoo user matches activities.signatories (${named(deps.signatories)}): check the logins or the group. No link was made.`);
  }
  const expiresAt = new Date((deps.now ?? (() => new Date()))().getTime() + deps.hours * 3600_000);
  return chosen.map((person) => ({ person, url: signatoryLink(deps.callback.publicUrl, deps.callback.secret, person.id, expiresAt), expiresAt }));
}
