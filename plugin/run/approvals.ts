/**
 * The run's approval check (before the payee check, before any reservation):
 * for each bill of a page that could be paid, its approvals, author, who set
 * its account (17), account history and confirmations read in four to six calls, then
 * connector/rules/approval-policy.ts decides. The approvers' group is read
 * once per run.
 */
import { readAccountConfirmations, readAccountHistory, readAccountSetters, readApprovals, readBillAuthors, readGroupMembers, type OdooClient } from '../../connector/odoo/index.js';
import { approvalSnapshotOf, decideApproval, toCents, type ApprovalPolicy } from '../../connector/rules/index.js';
import type { ApprovalRecord, AccountConfirmation, BillSnapshot, Reason } from '../../connector/model/index.js';
import type { ApprovalsConfig } from '../config/index.js';

export class RunApprovals {
  private policy: ApprovalPolicy | undefined;

  constructor(
    private readonly odoo: OdooClient,
    private readonly config: Readonly<ApprovalsConfig>,
    private readonly timeZone: string,
  ) {}

  private async policyOnce(): Promise<ApprovalPolicy> {
    this.policy ??= {
      fourEyes: this.config.fourEyes,
      approversGroup: this.config.approversGroup,
      approvers: await readGroupMembers(this.odoo, this.config.approversGroup),
      secondApproverAboveCents: this.config.secondApproverAbove === null ? null : toCents(this.config.secondApproverAbove),
      accountHoldDays: this.config.accountHoldDays,
      timeZone: this.timeZone,
    };
    return this.policy;
  }

  /** The hold of each bill whose approvals do not let it be paid (bills not listed may be paid). */
  async decidePage(page: readonly BillSnapshot[], now: Date): Promise<Map<number, Reason>> {
    const holds = new Map<number, Reason>();
    if (page.length === 0) return holds;
    const policy = await this.policyOnce();
    const billIds = page.map((s) => s.bill.id);
    const accountIds = page.flatMap((s) => (s.supplierAccount ? [s.supplierAccount.id] : []));
    const [approvals, authors, setters, history, confirmations] = await Promise.all([
      readApprovals(this.odoo, billIds),
      readBillAuthors(this.odoo, billIds),
      this.config.fourEyes ? readAccountSetters(this.odoo, billIds) : Promise.resolve(new Map()),
      accountIds.length ? readAccountHistory(this.odoo, accountIds) : Promise.resolve(new Map()),
      accountIds.length ? readAccountConfirmations(this.odoo, accountIds) : Promise.resolve([] as AccountConfirmation[]),
    ]);
    const byBill = groupBy(approvals, (a) => a.billId);
    for (const s of page) {
      const accountId = s.supplierAccount?.id;
      let snapshot;
      try {
        snapshot = approvalSnapshotOf(s);
      } catch {
        continue; // an amount stetpay cannot read: the run's mapping records it on the bill
      }
      const hold = decideApproval(
        { name: s.bill.name, now: snapshot, author: authors.get(s.bill.id) ?? null, accountSetBy: setters.get(s.bill.id) ?? null, account: accountId === undefined ? null : (history.get(accountId) ?? null) },
        byBill.get(s.bill.id) ?? [],
        confirmations,
        policy,
        now,
      );
      if (hold) holds.set(s.bill.id, hold);
    }
    return holds;
  }
}

function groupBy(list: readonly ApprovalRecord[], key: (a: ApprovalRecord) => number): Map<number, ApprovalRecord[]> {
  const out = new Map<number, ApprovalRecord[]>();
  for (const a of list) out.set(key(a), [...(out.get(key(a)) ?? []), a]);
  return out;
}
