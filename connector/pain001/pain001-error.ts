/** The input cannot make a valid pain.001 file; `field` names the input that must be fixed. */
export class Pain001Error extends Error {
  constructor(readonly field: string, message: string) {
    super(`pain.001: ${field}: ${message}`);
    this.name = 'Pain001Error';
  }
}
