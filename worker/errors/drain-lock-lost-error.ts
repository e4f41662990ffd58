/**
 * The write-back drainer no longer holds its lock (Redis unreachable for longer
 * than the lock lives): it stops before writing, the drainer holding the lock
 * now writes the batch. Nothing to do; reported through `onError`.
 */
export class DrainLockLostError extends Error {
  constructor(readonly lockKey: string) {
    super(`the write-back drain lost its lock (${lockKey}) before writing: the drainer holding it now writes the batch`);
    this.name = 'DrainLockLostError';
  }
}
