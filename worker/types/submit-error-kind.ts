/** How the submit processor treats a failed POST (see `classifySubmitError`). */
export type SubmitErrorKind = 'rejected' | 'rate_limited' | 'duplicate' | 'credentials' | 'transient';
