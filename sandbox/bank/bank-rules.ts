/**
 * How each bank the sandbox can play behaves: one record per bank, read by the
 * server, the validator and the payment store (none of them tests a bank's name).
 * This is the sandbox's own statement of each bank, written from its guide: it
 * imports nothing from connector/, so that client and sandbox cannot agree by
 * sharing a bug. A new bank is a new record here beside its profile in connector/profiles/.
 */
import { checkNwmRules, NWM_CREATION_DATE_TIME, reportUrlProblems, type NwmContext, type Problem } from './nwm-rules.js';
import { DUPLICATE_MESSAGE } from './error-bodies.js';

type Obj = Record<string, unknown>;

/** A refusal the bank words its own way: status and message. */
export interface BankAnswer {
  status: number;
  message: string;
}

export interface SandboxBankRules {
  /**
   * After consent the bank waits for `POST …/confirmation` (ACCP until then, and GET shows the
   * `confirmation` link); without it, consent accepts for execution at once and the call answers 405.
   */
  confirmation: boolean;
  /** Cancellation by PUT (STET §9); without it, PUT answers 405. */
  cancellation: boolean;
  /** The token endpoint answers a request with `fallback: 1` with a link into online banking (302). */
  apiFallback: boolean;
  /** How long a payment waits for consent when the sandbox is not told: then RJCT NOAS. */
  consentTimeoutMs: number;
  /** The answer to a paymentInformationId it already has. */
  duplicate: BankAnswer;
  /** The answer to an expired access token (a bad or missing one: 403). */
  expiredToken: BankAnswer;
  /** True for a value the bank takes although JSON Schema's date-time refuses it. */
  lenientCreationDateTime(value: string): boolean;
  /** The bank's checks of a POST body beyond the STET schema. */
  checkBody(body: Obj, ctx: NwmContext): Problem[];
}

const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** Transfers the stet-1.6 sandbox takes in one request (its profile's maxTransactionsPerRequest). */
export const STET16_MAX_TRANSACTIONS = 100;

/** A plain STET 1.6.2 bank: REDIRECT, report URLs, several transfers of distinct endToEndIds. */
function checkStetRules(b: Obj): Problem[] {
  const problems: Problem[] = [];
  const sup = obj(b.supplementaryData);
  const approaches = Array.isArray(sup.acceptedAuthenticationApproach) ? sup.acceptedAuthenticationApproach : [];
  if (!approaches.includes('REDIRECT')) problems.push({ rule: 'STET §4', path: '$.supplementaryData.acceptedAuthenticationApproach', message: 'this sandbox offers REDIRECT only' });
  problems.push(...reportUrlProblems(sup, 'STET §4'));
  const txs = Array.isArray(b.creditTransferTransaction) ? b.creditTransferTransaction : [];
  if (b.numberOfTransactions !== txs.length) problems.push({ rule: 'STET §4', path: '$.numberOfTransactions', message: 'numberOfTransactions differs from the transactions sent' });
  if (txs.length > STET16_MAX_TRANSACTIONS) problems.push({ rule: 'STET §4', path: '$.numberOfTransactions', message: `at most ${STET16_MAX_TRANSACTIONS} transactions per request at this bank (AM18)`, erroneousValue: txs.length });
  const e2e = txs.map((t) => String((t as { paymentId?: { endToEndId?: unknown } })?.paymentId?.endToEndId ?? ''));
  if (new Set(e2e).size !== e2e.length) problems.push({ rule: 'STET §4', path: '$.creditTransferTransaction', message: 'two transactions of the request have the same endToEndId' });
  return problems;
}

// Both banks answer a duplicate and an expired token as BPCE's gateway does (the NWM guide's error table, NWM-22).
const DUPLICATE: BankAnswer = { status: 500, message: DUPLICATE_MESSAGE };
const EXPIRED_TOKEN: BankAnswer = { status: 400, message: 'Invalid Token' };

/** Natixis Wealth Management France (establishment 18919), as its guide describes it. */
const NWM_18919: SandboxBankRules = {
  confirmation: false,
  cancellation: false,
  apiFallback: true,
  // NWM's redirect session lasts minutes.
  consentTimeoutMs: 15 * 60_000,
  duplicate: DUPLICATE,
  expiredToken: EXPIRED_TOKEN,
  // NWM-13 also accepts a creationDateTime with no offset.
  lenientCreationDateTime: (value) => NWM_CREATION_DATE_TIME.test(value),
  checkBody: checkNwmRules,
};

/** A generic bank following STET 1.6.2 to the letter. */
const STET_1_6: SandboxBankRules = {
  confirmation: true,
  cancellation: true,
  apiFallback: false,
  // A generic STET bank keeps a request a day.
  consentTimeoutMs: 24 * 3600_000,
  duplicate: DUPLICATE,
  expiredToken: EXPIRED_TOKEN,
  lenientCreationDateTime: () => false,
  checkBody: checkStetRules,
};

/** Every bank the sandbox plays, by the id of the bank profile it plays (`--profile`). */
export const SANDBOX_BANKS = Object.freeze({ 'nwm-18919': NWM_18919, 'stet-1.6': STET_1_6 });

export type SandboxProfile = keyof typeof SANDBOX_BANKS;

export const DEFAULT_SANDBOX_PROFILE: SandboxProfile = 'nwm-18919';

/** The rules of `profile`. @throws Error naming the banks the sandbox plays. */
export function sandboxBank(profile: string): SandboxBankRules {
  const rules = Object.hasOwn(SANDBOX_BANKS, profile) ? SANDBOX_BANKS[profile as SandboxProfile] : undefined;
  if (!rules) throw new Error(`unknown sandbox profile "${profile}": use ${Object.keys(SANDBOX_BANKS).join(' or ')}`);
  return rules;
}
