import type Mail from 'nodemailer/lib/mailer';
import { toBuffer as qrPng } from 'qrcode';

/** What the messages say about an order: the order object of the API (its fields that matter here). */
export interface TicketFacts {
  orderId: number;
  movieTitle: string;
  cinemaName: string;
  hallName: string;
  /** ISO UTC */
  startsAt: string;
  /** ISO UTC, null when unknown */
  endsAt: string | null;
  seats: { row: number; col: number; zone: string; ticketType: string | null; price: number }[];
  /** yuan */
  amount: number;
  ticketCode: string | null;
}

/** Who sends the mail and for which event; timeZone (e.g. 'Asia/Shanghai') is where the customer reads the times. */
export interface MailIdentity {
  eventId: string;
  from: string;
  timeZone: string;
}

const QR_CID = 'ticket-qr@ttms';

export async function ticketEmail(to: string, facts: TicketFacts, id: MailIdentity): Promise<Mail.Options> {
  const ticketCode = requireTicketCode(facts);
  const startsAt = localTime(facts.startsAt, id.timeZone);
  const details: [string, string][] = [
    ['Movie', facts.movieTitle],
    ['Cinema', facts.cinemaName],
    ['Hall', facts.hallName],
    ['Starts', startsAt],
    ['Seats', facts.seats.map(seatLabel).join('; ')],
    ['Paid', yuan(facts.amount)],
    ['Ticket code', ticketCode],
  ];
  const intro = `Your order ${facts.orderId} is paid. Show the ticket code or the QR code at the entrance.`;
  return {
    from: id.from,
    to,
    subject: oneLine(`Your ticket: ${facts.movieTitle}, ${startsAt}`),
    messageId: fixedMessageId('ticket', id),
    text: [intro, '', ...details.map(([label, value]) => `${label}: ${value}`)].join('\n'),
    html:
      `<p>${escapeHtml(intro)}</p>\n${detailsHtml(details)}\n` +
      `<p><img src="cid:${QR_CID}" alt="QR code of ticket ${escapeHtml(ticketCode)}" width="256" height="256"></p>`,
    attachments: [
      {
        filename: `ticket-${ticketCode}.png`,
        content: await qrPng(ticketCode, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 256 }),
        contentType: 'image/png',
        cid: QR_CID,
      },
      {
        filename: `ticket-${facts.orderId}.ics`,
        content: calendarEntry(facts, id.eventId),
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      },
    ],
  };
}

export function refundEmail(to: string, facts: TicketFacts, id: MailIdentity): Mail.Options {
  const startsAt = localTime(facts.startsAt, id.timeZone);
  const voided = facts.ticketCode ? `Ticket code ${facts.ticketCode} is void.` : 'Its tickets are void.';
  const lines = [
    `Your order ${facts.orderId} for ${facts.movieTitle} (${startsAt}, ${facts.cinemaName}, ${facts.hallName}) was refunded.`,
    `${yuan(facts.amount)} goes back to your original payment method.`,
    voided,
  ];
  return {
    from: id.from,
    to,
    subject: oneLine(`Refund: ${facts.movieTitle}, ${startsAt}`),
    messageId: fixedMessageId('refund', id),
    text: lines.join('\n'),
    html: lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n'),
  };
}

export function ticketSms(
  phone: string,
  facts: TicketFacts,
  timeZone: string,
): { phone: string; purpose: 'ticket'; text: string; ticketCode: string } {
  const ticketCode = requireTicketCode(facts);
  const seats = facts.seats.length === 1 ? '1 seat' : `${facts.seats.length} seats`;
  const text = oneLine(
    `TTMS: ${facts.movieTitle}, ${localTime(facts.startsAt, timeZone)}, ${facts.cinemaName} ${facts.hallName}, ` +
      `${seats}. Ticket code ${ticketCode}`,
  );
  return { phone, purpose: 'ticket', text, ticketCode };
}

export function refundSms(
  phone: string,
  facts: TicketFacts,
  timeZone: string,
): { phone: string; purpose: 'refund'; text: string } {
  const text = oneLine(
    `TTMS: order ${facts.orderId} refunded, ${yuan(facts.amount)} for ${facts.movieTitle} ` +
      `on ${localTime(facts.startsAt, timeZone)}.`,
  );
  return { phone, purpose: 'refund', text };
}

/**
 * The RFC 5545 calendar file of a paid order. The UID comes from the event alone, so a repeated
 * delivery updates the customer's calendar entry instead of adding a second one.
 */
export function calendarEntry(facts: TicketFacts, eventId: string, stampedAt: Date = new Date()): string {
  const description = [`Seats: ${facts.seats.map(seatLabel).join('; ')}`];
  if (facts.ticketCode) description.push(`Ticket code: ${facts.ticketCode}`);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//TTMS//Cinema tickets//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${icsText(`${eventId}@ttms`)}`,
    `DTSTAMP:${icsUtc(stampedAt.toISOString())}`,
    `DTSTART:${icsUtc(facts.startsAt)}`,
    ...(facts.endsAt ? [`DTEND:${icsUtc(facts.endsAt)}`] : []),
    `SUMMARY:${icsText(facts.movieTitle)}`,
    `LOCATION:${icsText(`${facts.cinemaName}, ${facts.hallName}`)}`,
    `DESCRIPTION:${icsText(description.join('\n'))}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}

function requireTicketCode(facts: TicketFacts): string {
  if (!facts.ticketCode) throw new Error(`order ${facts.orderId} has no ticket code: only a paid order gets a ticket`);
  return facts.ticketCode;
}

/**
 * Stable per event and sender domain, so a redelivered event carries the same Message-ID and
 * mail clients and our own logs see it as a repeat; the kind keeps a ticket and a refund apart.
 */
function fixedMessageId(kind: 'ticket' | 'refund', id: MailIdentity): string {
  const domain = /@([^@\s>]+)>?\s*$/.exec(id.from)?.[1] ?? 'ttms';
  const localPart = id.eventId.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '_');
  return `<${kind}.${localPart}@${domain}>`;
}

function seatLabel(seat: TicketFacts['seats'][number]): string {
  const kind = seat.ticketType ? `${seat.zone}, ${seat.ticketType}` : seat.zone;
  return `row ${seat.row} seat ${seat.col} (${kind})`;
}

function yuan(amount: number): string {
  return `¥${amount.toFixed(2)}`;
}

/** e.g. "Sat 2026-03-14 19:30 (GMT+8)": the offset tells a traveller which clock the time is on. */
function localTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(parseInstant(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${part('timeZoneName')})`;
}

function parseInstant(iso: string): Date {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new Error(`not an ISO date-time: ${iso}`);
  return instant;
}

function icsUtc(iso: string): string {
  return parseInstant(iso)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n|\r/g, '\\n');
}

/** RFC 5545 3.1: at most 75 octets a line, never splitting a UTF-8 character (Chinese titles are 3 octets each). */
function foldIcsLine(line: string): string {
  const folded: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > 75) {
      folded.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  folded.push(current);
  return folded.join('\r\n');
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function detailsHtml(details: [string, string][]): string {
  const rows = details.map(
    ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  return `<table>\n${rows.join('\n')}\n</table>`;
}
