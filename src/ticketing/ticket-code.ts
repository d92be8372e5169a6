import { randomInt } from 'node:crypto';

export const TICKET_CODE_LENGTH = 16;

/** 16 digits from the CSPRNG: about 53 bits, so a code cannot be guessed from others. */
export function newTicketCode(): string {
  let code = '';
  for (let i = 0; i < TICKET_CODE_LENGTH; i++) code += String(randomInt(10));
  return code;
}
