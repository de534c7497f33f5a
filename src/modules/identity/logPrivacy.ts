/**
 * Keeping personal data out of the server logs (Personal Data Protection Law: logs are kept
 * for operating the service, which needs no one's phone number or name). Query strings carry
 * what people type (a search for a name, a phone number), so logged URLs are cut before them;
 * client addresses lose their last part; database errors lose the `detail` in which
 * PostgreSQL repeats the values of a refused row ("Key (phone)=(+849…) already exists").
 */
import type { FastifyRequest } from 'fastify';

/** "/dang-ky?tim=0912…" → "/dang-ky". */
export const pathOnly = (url: string): string => url.split('?', 1)[0] ?? '';

/** "203.0.113.57" → "203.0.113.0"; an IPv6 address keeps its first three groups (its network). */
export function maskAddress(ip: string): string {
  const v4 = /^(.*\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.0`;
  return ip.includes(':') ? `${ip.split(':').slice(0, 3).join(':')}::` : ip;
}

/** What a request log line says about the request. */
export const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: pathOnly(request.url),
  host: request.host,
  remoteAddress: maskAddress(request.ip),
});

/** An error as logged: what a developer needs to find the bug, not the data it was about. */
export const errorForLog = (error: Error & { code?: unknown }) => ({
  type: error.name,
  message: error.message,
  stack: error.stack ?? '',
  ...(error.code === undefined ? {} : { code: error.code }),
});

/** The options of the server's logger (pino). */
export const loggerOptions = (level: string) => ({
  level,
  redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  serializers: { req: requestForLog, err: errorForLog },
});
