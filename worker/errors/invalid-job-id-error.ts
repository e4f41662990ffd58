/** A payment id BullMQ cannot take as a jobId (`:` in it, or all digits). */
export class InvalidJobIdError extends Error {
  constructor(readonly jobId: string) {
    super(`payment id "${jobId}" cannot be a BullMQ job id (no ':' and not all digits): check the id rules`);
    this.name = 'InvalidJobIdError';
  }
}
