/**
 * The provider could not be asked, or its answer cannot be trusted (timeout, refused connection, a missing
 * or wrong signature): nothing is known to have changed there, so the caller may ask again later (5000).
 */
export class PaymentProviderUnavailable extends Error {
  constructor(provider: string, why: string) {
    super(`${provider} unavailable: ${why}`);
    this.name = 'PaymentProviderUnavailable';
  }
}

/** The provider answered, signed, and said no: asking again the same way gets the same answer (2007). */
export class PaymentProviderRefused extends Error {
  constructor(
    readonly provider: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${provider} refused (${code}): ${reason}`);
    this.name = 'PaymentProviderRefused';
  }
}
