/** The business-code table of CONTRACT section 1: each code with its HTTP status and default message. */
export const ResultCode = {
  Success: { code: 1000, status: 200, msg: 'ok' },
  Failed: { code: 1001, status: 400, msg: 'request failed' },
  InvalidParams: { code: 1002, status: 400, msg: 'invalid request parameters' },
  EmailTaken: { code: 1003, status: 409, msg: 'email already registered' },
  UserExists: { code: 1004, status: 409, msg: 'user already exists (name or phone taken)' },
  WrongCredentials: { code: 1005, status: 401, msg: 'wrong account or password' },
  NotRegistered: { code: 1006, status: 404, msg: 'email or phone not registered' },
  NotLoggedIn: { code: 1007, status: 401, msg: 'not logged in, or invalid or revoked token' },
  TokenExpired: { code: 1008, status: 401, msg: 'token expired' },
  CaptchaIncorrect: { code: 1009, status: 400, msg: 'captcha incorrect or expired' },
  CodeIncorrect: { code: 1010, status: 400, msg: 'verification code incorrect or expired' },
  TooManyAttempts: { code: 1011, status: 429, msg: 'too many wrong attempts: locked for a while' },
  TooFrequent: { code: 1012, status: 429, msg: 'requested too often' },
  PermissionDenied: { code: 1013, status: 403, msg: 'permission denied' },
  NotFound: { code: 1014, status: 404, msg: 'resource not found' },
  AlreadyExists: { code: 1015, status: 409, msg: 'resource already exists' },
  ShowtimeOverlap: { code: 2001, status: 409, msg: 'showtime overlaps another in the same hall' },
  ShowtimeInPast: { code: 2002, status: 400, msg: 'showtime starts in the past' },
  SeatUnavailable: { code: 2003, status: 409, msg: 'seat unavailable' },
  TicketLimitExceeded: { code: 2004, status: 409, msg: 'ticket limit exceeded (6 per user per showtime)' },
  NotOnSale: { code: 2005, status: 409, msg: 'showtime not on sale' },
  OrderNotPayable: { code: 2006, status: 409, msg: 'order cannot be paid or cancelled' },
  OrderNotRefundable: { code: 2007, status: 409, msg: 'order cannot be refunded' },
  TicketInvalid: { code: 2008, status: 409, msg: 'ticket invalid or already checked in' },
  StillInUse: { code: 2009, status: 409, msg: 'still in use (has showtimes or sold tickets)' },
  IdempotencyConflict: {
    code: 2010,
    status: 409,
    msg: 'idempotency key reused with a different request, or its first request still running',
  },
  CoupleSeatsSplit: { code: 2011, status: 409, msg: 'couple seats must be held together' },
  VoucherNotApplicable: {
    code: 2012,
    status: 409,
    msg: 'voucher does not apply (unknown, inactive, expired, used up, other cinema or movie, too few seats)',
  },
  SingleSeatGap: { code: 2013, status: 409, msg: 'the hold would leave a single empty seat' },
  DeliveryInFlight: { code: 2014, status: 409, msg: 'an attempt of this delivery is being made right now' },
  ServerError: { code: 5000, status: 500, msg: 'server error' },
} as const;

export type ResultCodeKey = keyof typeof ResultCode;
export type ResultCodeEntry = (typeof ResultCode)[ResultCodeKey];

/** Markdown table of every code, for the OpenAPI description. */
export function resultCodeTable(): string {
  const rows = Object.values(ResultCode).map((c) => `| ${c.code} | ${c.status} | ${c.msg} |`);
  return ['| code | HTTP | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
