import { BankNotFoundError, isBankError, type StetClient } from '../../connector/stet/index.js';

/**
 * Before a run reserves anything: is the bank reachable and does it accept our
 * certificates and token? A GET of a payment that cannot exist answers 404 from
 * a bank that let us in; anything else says what is wrong, before any bill moves.
 */
export async function checkBankReachable(stet: StetClient, apiBaseUrl: string): Promise<void> {
  try {
    await stet.paymentRequests.retrieve('stetpay-preflight-check');
  } catch (err) {
    if (err instanceof BankNotFoundError || (isBankError(err) && err.status === 404)) return;
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`the bank at ${apiBaseUrl} cannot be used right now: ${why}. Nothing was reserved or queued; the next run will take the bills.`);
  }
  // A 200 for that id would be odd but harmless: the bank is reachable.
}
