/** `stetpay signatory link [--user LOGIN] [--ttl HOURS]`: a fresh one-use link to the signatory's page, for the operator to send. */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { configFor } from '../app/command-support.js';
import { openOdoo } from '../app/open-odoo.js';
import { newSignatoryLinks } from '../signatory/new-links.js';

export interface SignatoryLinkOptions {
  config?: string;
  user?: string;
  ttl?: number;
  json?: boolean;
}

export async function link(o: SignatoryLinkOptions): Promise<number> {
  const config = configFor('signatory link', o.config, ['odoo', 'callback'] as const);
  const odoo = await openOdoo(config.odoo);
  try {
    const hours = o.ttl ?? config.activities.linkHours;
    const links = await newSignatoryLinks({ odoo, signatories: config.activities.signatories, callback: config.callback, hours }, o.user);
    if (o.json) {
      console.log(JSON.stringify(links.map((l) => ({ userId: l.person.id, name: l.person.name, url: l.url, expiresAt: l.expiresAt.toISOString() }))));
      return 0;
    }
    const tz = config.payments.timeZone;
    for (const l of links) {
      const until = format(new TZDate(l.expiresAt.getTime(), tz), 'yyyy-MM-dd HH:mm');
      // The link is the signatory's key to the page: it goes to stdout for the operator only, never to a log.
      console.log(`${l.person.name}: opens the signatory's page once, in one browser, until ${until} (${tz}). Send it to them only:\n  ${l.url}`);
    }
    return 0;
  } finally {
    odoo.close();
  }
}
