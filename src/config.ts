import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every setting of the product, read once from environment variables at start-up. */
export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** `postgres://…` for PostgreSQL; otherwise a SQLite file path (`sqlite:` prefix optional). */
  databaseUrl: string;
  dataDir: string;
  /** Keys the CSRF tokens; must stay the same across restarts and processes. */
  secret: string;
  /** Tenant served when the host name does not name one (e.g. `localhost`). */
  defaultTenant: string;
  /** Public base URL; an `https:` URL turns on Secure cookies and HSTS. */
  publicUrl: string;
  logLevel: string;
  /** Trust X-Forwarded-* headers (only behind a reverse proxy that sets them). */
  trustProxy: boolean;
  /** Reminder emails: `smtp://user:pass@host:port` (or `smtps://`); null sends none. */
  smtpUrl: string | null;
  /** The From of reminder emails. */
  mailFrom: string;
  /** How often the scheduler looks for reminders to send. */
  reminderIntervalMinutes: number;
}

export class ConfigError extends Error {}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT phải là số nguyên từ 0 đến 65535 (0: cổng bất kỳ), đang là "${value}".`);
  }
  return port;
}

/** In development the secret is generated once and kept in the data folder. */
function readSecret(env: NodeJS.ProcessEnv, production: boolean, dataDir: string): string {
  const given = env.HOCVUSO_SECRET;
  if (given) {
    if (given.length < 32) throw new ConfigError('HOCVUSO_SECRET cần dài ít nhất 32 ký tự.');
    return given;
  }
  if (production) throw new ConfigError('Cần đặt HOCVUSO_SECRET (ít nhất 32 ký tự) khi NODE_ENV=production.');
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function readSmtpUrl(value: string | undefined): string | null {
  if (!value) return null;
  if (!/^smtps?:\/\/[^/]/.test(value)) {
    throw new ConfigError('SMTP_URL phải có dạng smtp://người-dùng:mật-khẩu@máy-chủ:cổng (hoặc smtps://).');
  }
  return value;
}

function readMinutes(value: string | undefined): number {
  if (value === undefined || value === '') return 5;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
    throw new ConfigError(`REMINDER_INTERVAL_MINUTES phải là số phút từ 1 đến 1440, đang là "${value}".`);
  }
  return minutes;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.HOCVUSO_DATA_DIR || 'data');
  const port = readPort(env.PORT);
  const publicUrl = env.PUBLIC_URL || `http://localhost:${port}`;
  if (!/^https?:\/\//.test(publicUrl))
    throw new ConfigError('PUBLIC_URL phải bắt đầu bằng http:// hoặc https://.');
  return {
    production,
    host: env.HOST || '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL || path.join(dataDir, 'hocvuso.sqlite'),
    dataDir,
    secret: readSecret(env, production, dataDir),
    defaultTenant: env.HOCVUSO_DEFAULT_TENANT || 'quang-nam',
    publicUrl: publicUrl.replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL || (production ? 'info' : 'warn'),
    trustProxy: env.TRUST_PROXY === '1',
    smtpUrl: readSmtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM || `Bình dân học vụ số <no-reply@${new URL(publicUrl).hostname}>`,
    reminderIntervalMinutes: readMinutes(env.REMINDER_INTERVAL_MINUTES),
  };
}
