import type { CodePurpose } from '../entities/verification-code.entity';

/** What a code sender delivers: the code, what it is for, and how long it stays valid. */
export interface CodeMessage {
  code: string;
  purpose: CodePurpose;
  expiresInSeconds: number;
}

const PURPOSE_TEXT: Record<CodePurpose, string> = {
  register: 'to sign up',
  login: 'to log in',
  reset: 'to reset your password',
};

export function codeText(message: CodeMessage): string {
  const minutes = Math.round(message.expiresInSeconds / 60);
  return [
    `Your TTMS verification code ${PURPOSE_TEXT[message.purpose]}:`,
    '',
    message.code,
    '',
    `It is valid for ${minutes} minutes. Do not share it with anyone.`,
  ].join('\n');
}
