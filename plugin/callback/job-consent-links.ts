/**
 * A queued payment's two consent links are not stored in its job: they are
 * about half of what a pending payment weighs in Redis, and they can be made
 * again, identically, from the job itself (ids, bill id, and the request's
 * creationDateTime, which is the run's `now` the links were issued at) and the
 * callback config. The run strips them only when that rebuild gives the same
 * links; the submit worker puts them back before every POST, so the bank gets
 * the body the mapping built, byte for byte.
 */
import type { PaymentRequestResource } from '../../connector/model/index.js';
import { submitJobIds, type SubmitJobData, type SubmitJobInput } from '../../worker/index.js';
import { reportUrlsFor, type ReportUrls } from './report-urls.js';
import type { CallbackConfig } from '../config/index.js';

type Callback = Pick<CallbackConfig, 'publicUrl' | 'secret'>;

function linksFor(callback: Callback, data: Pick<SubmitJobData, 'billId' | 'request'>): ReportUrls | undefined {
  const issued = Date.parse(data.request.creationDateTime);
  if (!Number.isFinite(issued)) return undefined;
  return reportUrlsFor(callback.publicUrl, callback.secret, { ...submitJobIds(data), billId: data.billId }, { now: new Date(issued) });
}

/** The body to POST: the stored request with its consent links put back (a request stored with its links is sent as it is). */
export function withConsentLinks(callback: Callback, data: SubmitJobData): PaymentRequestResource {
  const sd = data.request.supplementaryData;
  if (!sd || sd.successfulReportUrl) return data.request;
  const links = linksFor(callback, data);
  if (!links) return data.request;
  return { ...data.request, supplementaryData: { ...sd, successfulReportUrl: links.successfulReportUrl, unsuccessfulReportUrl: links.unsuccessfulReportUrl } };
}

/** The job to store: without the consent links when `withConsentLinks` rebuilds exactly them, else unchanged. */
export function withoutConsentLinks<T extends SubmitJobInput>(callback: Callback, job: T): T {
  const sd = job.request.supplementaryData;
  if (!sd?.successfulReportUrl) return job;
  const { successfulReportUrl, unsuccessfulReportUrl, ...rest } = sd;
  const links = linksFor(callback, job);
  if (!links || links.successfulReportUrl !== successfulReportUrl || links.unsuccessfulReportUrl !== unsuccessfulReportUrl) return job;
  return { ...job, request: { ...job.request, supplementaryData: rest } };
}
