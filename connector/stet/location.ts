/**
 * The bank's resource id of a created payment request, from the 201's `Location`
 * (STET: `.../payment-requests/{paymentRequestResourceId}`): its last path segment.
 */
export function resourceIdFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  // Absolute or relative: only the path matters. A query or fragment is not part of the id.
  const last = new URL(location, 'https://bank.invalid/').pathname.split('/').filter(Boolean).pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    // A malformed %-escape: keep the id as sent rather than fail a call the bank accepted.
    return last;
  }
}
