/**
 * Rebuilds the submit jobs of bills already reserved in Odoo (`queued`, with
 * their recorded attempt), for the sweeper after Redis lost them. The ids are
 * the recorded attempt's, so the bank's duplicate refusal still guards.
 */
import { collectApprovedBills, type OdooClient } from '../../connector/odoo/index.js';
import type { BankProfile } from '../../connector/profiles/index.js';
import type { SubmitJobInput } from '../../worker/index.js';
import { withoutConsentLinks } from './job-consent-links.js';
import { mapForAttempt, type MappingConfig } from './mapping-context.js';

export async function rebuildJobs(odoo: OdooClient, config: MappingConfig, profile: BankProfile, billIds: number[], now = new Date()): Promise<SubmitJobInput[]> {
  if (billIds.length === 0) return [];
  const jobs: SubmitJobInput[] = [];
  for await (const page of collectApprovedBills(odoo, { database: odoo.database, domain: [['id', 'in', billIds]] })) {
    for (const snapshot of page) {
      const attempt = snapshot.bill.attempt;
      if (attempt < 1) continue; // never reserved by a run: not the sweeper's to send
      const outcome = mapForAttempt(snapshot, attempt, config, profile, now);
      // A bill that no longer maps (edited since) stays `queued` for a person; the sweeper reports it.
      if (outcome.kind !== 'payable') continue;
      jobs.push(withoutConsentLinks(config.callback, { billId: snapshot.bill.id, billName: snapshot.bill.name, database: snapshot.database, attempt, ids: outcome.ids, request: outcome.request, executionDate: outcome.executionDate }));
    }
  }
  return jobs;
}
