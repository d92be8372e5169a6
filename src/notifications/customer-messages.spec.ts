import type { AddressInfo, Server } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';
import {
  calendarEntry,
  refundEmail,
  refundSms,
  ticketEmail,
  ticketSms,
  TicketFacts,
  MailIdentity,
} from './customer-messages';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const identity: MailIdentity = { eventId: 'evt-7f3a', from: 'TTMS <tickets@ttms.example>', timeZone: 'Asia/Shanghai' };

function givenFacts(overrides: Partial<TicketFacts> = {}): TicketFacts {
  return {
    orderId: 42,
    movieTitle: 'Heat, <b>&"',
    cinemaName: 'Grand Cinema',
    hallName: 'Hall 3',
    startsAt: '2026-03-14T11:30:00.000Z',
    endsAt: '2026-03-14T13:45:00.000Z',
    seats: [
      { row: 5, col: 7, zone: 'vip', ticketType: null, price: 60 },
      { row: 5, col: 8, zone: 'vip', ticketType: 'student', price: 30 },
    ],
    amount: 90,
    ticketCode: 'TK8H2Q9Z',
    ...overrides,
  };
}

/** A real SMTP server on a free port, keeping every message it receives as raw bytes. */
async function startSmtp(): Promise<{ port: number; received: Buffer[]; close: () => Promise<void> }> {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('customer messages', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(() => smtp.close());

  async function deliver(message: Mail.Options): Promise<ParsedMail> {
    const transport = createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
    await transport.sendMail(message);
    transport.close();
    return simpleParser(smtp.received[smtp.received.length - 1], { keepCidLinks: true });
  }

  function attachment(mail: ParsedMail, filename: string) {
    const found = mail.attachments.find((a) => a.filename === filename);
    if (!found) throw new Error(`no attachment ${filename}`);
    return found;
  }

  it('should deliver the ticket email with its details, escaped html and a fixed Message-ID', async () => {
    const mail = await deliver(await ticketEmail('fan@example.com', givenFacts(), identity));

    expect(mail.from?.value[0].address).toBe('tickets@ttms.example');
    expect(mail.to).toMatchObject({ value: [{ address: 'fan@example.com' }] });
    expect(mail.subject).toBe('Your ticket: Heat, <b>&", Sat 2026-03-14 19:30 (GMT+8)');
    expect(mail.messageId).toBe('<ticket.evt-7f3a@ttms.example>');
    for (const fact of ['Grand Cinema', 'Hall 3', 'row 5 seat 7 (vip)', 'row 5 seat 8 (vip, student)', 'TK8H2Q9Z']) {
      expect(mail.text).toContain(fact);
    }
    expect(mail.text).toContain('¥90.00');
    expect(mail.html).toContain('Heat, &#60;b&#62;&#38;&#34;');
    expect(mail.html).not.toContain('<b>&"');
    expect(mail.html).toContain('src="cid:ticket-qr@ttms"');
  });

  it('should attach the QR code as a PNG referenced inline', async () => {
    const mail = await deliver(await ticketEmail('fan@example.com', givenFacts(), identity));

    const qr = attachment(mail, 'ticket-TK8H2Q9Z.png');
    expect(qr.contentType).toBe('image/png');
    expect(qr.cid).toBe('ticket-qr@ttms');
    expect(qr.content.subarray(0, 8)).toEqual(PNG_MAGIC);
  });

  it('should attach an RFC 5545 calendar entry with escaped text, CRLF and folded lines', async () => {
    const longTitle = givenFacts({ movieTitle: `Heat, ${'长'.repeat(40)}` });
    const mail = await deliver(await ticketEmail('fan@example.com', longTitle, identity));

    const ics = attachment(mail, 'ticket-42.ics');
    expect(ics.contentType).toBe('text/calendar');
    expect(ics.headers.get('content-type')).toMatchObject({ params: { charset: 'utf-8', method: 'PUBLISH' } });
    const text = ics.content.toString('utf8');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('\r\nMETHOD:PUBLISH\r\n');
    expect(text).toContain('\r\nBEGIN:VEVENT\r\n');
    expect(text).toContain('\r\nUID:evt-7f3a@ttms\r\n');
    expect(text).toContain('\r\nDTSTART:20260314T113000Z\r\n');
    expect(text).toContain('\r\nDTEND:20260314T134500Z\r\n');
    expect(text).toContain('\r\nLOCATION:Grand Cinema\\, Hall 3\r\n');
    expect(text.replace(/\r\n /g, '')).toContain(`SUMMARY:Heat\\, ${'长'.repeat(40)}\r\n`);
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('should leave DTEND out when the end is unknown', () => {
    expect(calendarEntry(givenFacts({ endsAt: null }), 'evt-1')).not.toContain('DTEND');
  });

  it('should deliver the refund email without attachments', async () => {
    const mail = await deliver(refundEmail('fan@example.com', givenFacts(), identity));

    expect(mail.subject).toBe('Refund: Heat, <b>&", Sat 2026-03-14 19:30 (GMT+8)');
    expect(mail.messageId).toBe('<refund.evt-7f3a@ttms.example>');
    expect(mail.text).toContain('was refunded');
    expect(mail.text).toContain('¥90.00');
    expect(mail.text).toContain('Ticket code TK8H2Q9Z is void');
    expect(mail.html).toContain('&#60;b&#62;');
    expect(mail.attachments).toHaveLength(0);
  });

  it('should write single-line SMS texts', () => {
    const ticket = ticketSms('+8613800000000', givenFacts(), 'Asia/Shanghai');
    const refund = refundSms('+8613800000000', givenFacts(), 'Asia/Shanghai');

    expect(ticket).toEqual({
      phone: '+8613800000000',
      purpose: 'ticket',
      ticketCode: 'TK8H2Q9Z',
      text: 'TTMS: Heat, <b>&", Sat 2026-03-14 19:30 (GMT+8), Grand Cinema Hall 3, 2 seats. Ticket code TK8H2Q9Z',
    });
    expect(refund).toEqual({
      phone: '+8613800000000',
      purpose: 'refund',
      text: 'TTMS: order 42 refunded, ¥90.00 for Heat, <b>&" on Sat 2026-03-14 19:30 (GMT+8).',
    });
  });

  it('should refuse a ticket email for an order without a ticket code', async () => {
    await expect(ticketEmail('fan@example.com', givenFacts({ ticketCode: null }), identity)).rejects.toThrow(
      'has no ticket code',
    );
  });
});
