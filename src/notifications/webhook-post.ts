import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, LookupAll, parseWebhookUrl, systemLookupAll } from './webhook-address';

export interface PostOutcome {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

/** Enough to see a receiver answered; a receiver that streams more is not our problem. */
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_REASON_LENGTH = 200;

/**
 * POSTs `body` as JSON and never throws or rejects. Delivered only for a 2xx whose whole answer arrives within
 * `timeoutMs`, one deadline for DNS, connect, headers and body. Redirects are not followed. Unless
 * `allowPrivate`, the socket connects only to addresses checked here, so DNS cannot change between check and
 * connect.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs: number; lookup?: LookupAll },
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let request: http.ClientRequest | undefined;
    let statusCode: number | null = null;
    let settled = false;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request?.destroy();
      resolve({ delivered: error === null, statusCode, error });
    };
    const deadline = setTimeout(() => finish(`timed out after ${options.timeoutMs / 1000}s`), options.timeoutMs);

    const { target, problem } = parseWebhookUrl(url);
    if (!target) return finish(problem);
    if (!options.allowPrivate && target.knownPrivate) return finish(`address ${target.host} is private`);
    try {
      const transport = target.url.protocol === 'https:' ? https : http;
      request = transport.request(target.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers, 'Content-Length': Buffer.byteLength(body) },
        agent: false, // a pooled socket would skip the address check of this request
        lookup: checkedLookup(options.lookup ?? systemLookupAll, options.allowPrivate),
      });
    } catch (error) {
      // Header validation errors may quote a value, and values carry signatures: report the code only.
      return finish(`request not sent (${(error as NodeJS.ErrnoException).code ?? 'invalid request'})`);
    }
    request.on('error', (error) => finish(shortReason(error)));
    request.on('response', (response) => {
      statusCode = response.statusCode ?? null;
      let answerBytes = 0;
      response.on('error', (error) => finish(shortReason(error)));
      response.on('close', () => finish('connection closed before the answer ended'));
      response.on('end', () => finish(null));
      response.on('data', (chunk: Buffer) => {
        answerBytes += chunk.length;
        if (answerBytes >= MAX_ANSWER_BYTES) finish(null);
      });
      const status = statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) finish(`redirect to ${shortReason(location)} not followed`);
      else if (status < 200 || status >= 300) finish(`HTTP ${status}`);
    });
    request.end(body);
  });
}

/** Resolves through `lookupAll` and hands the socket only addresses it checked. */
function checkedLookup(lookupAll: LookupAll, allowPrivate: boolean): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    const refuse = (message: string, code: string) => callback(Object.assign(new Error(message), { code }), '');
    const family = lookupOptions.family === 6 || lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family ? 4 : 0;
    void Promise.resolve()
      .then(() => lookupAll(hostname))
      .then(
        (found) => {
          const privateOne = allowPrivate ? undefined : found.find(({ address }) => isPrivateAddress(address));
          if (privateOne) return refuse(`address ${privateOne.address} is private`, 'EPRIVATE');
          const usable = family ? found.filter((candidate) => candidate.family === family) : found;
          if (usable.length === 0) return refuse(`no address for ${hostname}`, 'ENOTFOUND');
          if (lookupOptions.all) callback(null, usable);
          else callback(null, usable[0].address, usable[0].family);
        },
        (error) => refuse(shortReason(error), (error as NodeJS.ErrnoException)?.code ?? 'ENOTFOUND'),
      );
  };
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split(/[\r\n]/)[0].trim() || 'request failed').slice(0, MAX_REASON_LENGTH);
}
