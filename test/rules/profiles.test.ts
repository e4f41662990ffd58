import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { Command } from 'commander';
import { NWM_18919, STET_1_6, UnknownBankProfileError, bankProfileIds, getBankProfile } from '../../connector/profiles/index.js';
import { BankDuplicateError, BankRejectedError, BankTransientError, BankUnauthorizedError } from '../../connector/stet/errors/bank-error.js';
import { classifyBankResponse, isTokenRefusal } from '../../connector/stet/errors/classify-bank-response.js';
import { configSchema } from '../../plugin/config/manifest-schema.js';
import { addBankOptions } from '../../sandbox/bank/cli-args.js';
import { SANDBOX_BANKS } from '../../sandbox/bank/index.js';
import { repoRoot } from '../support/paths.js';

/** Every source file (not tests) under `dir`, with its text. */
function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|json)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file: relative(repoRoot, file), text: readFileSync(file, 'utf8') }));
}

describe('bank profiles', () => {
  it('finds the shipped profiles by id', () => {
    expect(getBankProfile('nwm-18919')).to.equal(NWM_18919);
    expect(getBankProfile('stet-1.6')).to.equal(STET_1_6);
    expect(bankProfileIds()).to.deep.equal(['nwm-18919', 'stet-1.6']);
  });

  it('an unknown id throws an error listing the known ones', () => {
    expect(() => getBankProfile('bnp')).to.throw(UnknownBankProfileError, "unknown bank profile 'bnp': use one of nwm-18919, stet-1.6");
    expect(() => getBankProfile('toString')).to.throw(UnknownBankProfileError);
  });

  it('nwm-18919 holds the NWM rules as data', () => {
    expect(NWM_18919).to.include({
      establishmentCode: '18919', serviceLevel: 'SEPA', maxDaysAhead: 30, maxTransactionsPerRequest: 1,
      instantAllowed: false, requiresConfirmation: false, cancellation: 'none',
      chargeBearer: 'SLEV', defaultCategoryPurpose: 'CASH', retentionDays: 35, executionRule: 'FWNG',
    });
    expect(NWM_18919.currencies).to.deep.equal(['EUR']);
    expect(NWM_18919.categoryPurposes).to.deep.equal(['CASH', 'DVPM', 'SALA']);
    expect(NWM_18919.purposes).to.deep.equal(['TRPT', 'CASH', 'CPKC', 'ACCT', 'COMC']);
    expect(NWM_18919.authenticationApproaches).to.deep.equal(['REDIRECT']);
  });

  it('stet-1.6 is the generic 1.6.2 bank: confirmation, instant, several transactions, PUT CANC', () => {
    expect(STET_1_6).to.include({ requiresConfirmation: true, instantAllowed: true, cancellation: 'put', cancellationStatus: 'CANC' });
    expect(STET_1_6.maxTransactionsPerRequest).to.be.greaterThan(1);
  });

  it('PROFILE-IDS the profile ids are listed once (connector/profiles): the config schema, the CLI and the sandbox take them from there', () => {
    const ids = bankProfileIds();
    const schema = configSchema() as { properties: { bank: { properties: { profile: { enum: string[] } } } } };
    expect(schema.properties.bank.properties.profile.enum).to.deep.equal(ids);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'manifest.json'), 'utf8')) as { configSchema: typeof schema };
    expect(manifest.configSchema.properties.bank.properties.profile).not.to.have.property('enum');
    // Each bank has its sandbox rules, and the sandbox plays no bank stetpay lacks.
    expect(Object.keys(SANDBOX_BANKS)).to.have.members(ids);
    const sandboxFlag = addBankOptions(new Command()).options.find((o) => o.long === '--profile');
    expect(sandboxFlag?.argChoices).to.deep.equal(Object.keys(SANDBOX_BANKS));
    // No other list of the ids, in either order, as an array, a union or enum.
    const quoted = ids.map((id) => `["']${id.replace(/[.]/g, '\\.')}["']`);
    const list = new RegExp(`(${quoted.join('|')})\\s*[,|]\\s*(${quoted.join('|')})`);
    const listing = ['connector', 'worker', 'plugin', 'sandbox', 'bin'].flatMap(sources).concat({ file: 'manifest.json', text: readFileSync(join(repoRoot, 'manifest.json'), 'utf8') })
      .filter((f) => list.test(f.text)).map((f) => f.file);
    expect(listing).to.deep.equal([]);
  });

  it('PROFILE-SIGNALS the duplicate and token-refusal signals are the profile\'s: another bank\'s wording is read by its own profile', () => {
    const raw = (status: number, message: string) => ({ status, headers: {}, text: JSON.stringify({ message }), method: 'POST', path: '/payment-requests' });
    // NWM: 500 "duplicate unique key" (the last never-twice guard) and NWM-22's 400 "Invalid Token".
    expect(classifyBankResponse(raw(500, 'Database insertion issue, duplicate unique key'), NWM_18919.signals)).to.be.instanceOf(BankDuplicateError);
    expect(isTokenRefusal(raw(400, 'Invalid Token'), NWM_18919.signals)).to.equal(true);
    // A bank that says it with 409 "paymentInformationId already exists" and 400 "token expired".
    const other = { duplicate: [{ status: 409, body: /already exists/i }], tokenRefusal: [{ status: 400, body: /token expired/i }] };
    const duplicate = classifyBankResponse(raw(409, 'paymentInformationId already exists'), other);
    expect(duplicate).to.be.instanceOf(BankDuplicateError);
    expect(duplicate.message).to.equal('The bank already has a payment with this paymentInformationId (POST /payment-requests -> 409: paymentInformationId already exists). Never resend with new ids: read its status instead.');
    expect(classifyBankResponse(raw(400, 'token expired'), other)).to.be.instanceOf(BankUnauthorizedError);
    // NWM's wording means nothing special to it: a 500 is transient, a 400 a rejection.
    expect(classifyBankResponse(raw(500, 'Database insertion issue, duplicate unique key'), other)).to.be.instanceOf(BankTransientError);
    expect(classifyBankResponse(raw(400, 'Invalid Token'), other)).to.be.instanceOf(BankRejectedError);
    // RFC 6750's 401 invalid_token holds whatever the profile says.
    expect(isTokenRefusal({ status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, text: '' }, other)).to.equal(true);
  });

  it('profiles are frozen data', () => {
    expect(Object.isFrozen(NWM_18919)).to.equal(true);
    expect(Object.isFrozen(NWM_18919.currencies)).to.equal(true);
  });
});
