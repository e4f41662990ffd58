import { expect } from 'chai';
import { withConsentLinks, withoutConsentLinks } from '../../plugin/callback/job-consent-links.js';
import { reportUrlsFor } from '../../plugin/callback/index.js';
import { submitJobIds } from '../../worker/index.js';
import { paymentJob } from '../worker/support.js';

const CALLBACK = { publicUrl: 'https://stetpay.example.com', secret: 'job-links-secret-0123456789abcdef0123' };

/** A job as the run maps it: links issued at the request's creationDateTime (the run's `now`). */
function mappedJob(n: number) {
  const job = paymentJob(n, 1);
  const links = reportUrlsFor(CALLBACK.publicUrl, CALLBACK.secret, { ...job.ids, billId: job.billId }, { now: new Date(job.request.creationDateTime) });
  return { ...job, request: { ...job.request, supplementaryData: { ...job.request.supplementaryData, ...links } } };
}

describe('consent links kept out of stored jobs (plugin/callback/job-consent-links)', () => {
  it('JOB-LINKS-01 a job is stored without its links and the worker POSTs the mapped body byte for byte', () => {
    const mapped = mappedJob(42);
    const stored = withoutConsentLinks(CALLBACK, mapped);
    expect(stored.request.supplementaryData).to.deep.equal({ acceptedAuthenticationApproach: ['REDIRECT'] });
    expect(JSON.stringify(stored).length).to.be.below(JSON.stringify(mapped).length - 200);
    const { ids: _ids, ...data } = stored;
    expect(JSON.stringify(withConsentLinks(CALLBACK, data))).to.equal(JSON.stringify(mapped.request));
    expect(submitJobIds(data)).to.deep.equal(mapped.ids);
  });

  it('JOB-LINKS-02 links the config cannot rebuild (another secret or URL) stay in the job, and a job with links is sent as stored', () => {
    const mapped = mappedJob(7);
    expect(withoutConsentLinks({ ...CALLBACK, secret: 'another-secret-0123456789abcdef0123' }, mapped)).to.equal(mapped);
    expect(withoutConsentLinks({ ...CALLBACK, publicUrl: 'https://elsewhere.example.com' }, mapped)).to.equal(mapped);
    expect(withConsentLinks(CALLBACK, mapped)).to.equal(mapped.request);
  });
});
