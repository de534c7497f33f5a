import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TEST_PASSWORD } from './factories.js';

/** Form fields: a record, or name/value pairs when a name repeats (checkboxes). */
export type FormFields = Record<string, string> | [string, string][];

/**
 * A cookie-keeping client over `app.inject`, acting like one browser: it reads the CSRF token
 * out of a page's form the way a real form post would carry it.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as {
      name: string;
      value: string;
      maxAge?: number;
      expires?: Date;
    }[]) {
      const expired = cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } }),
    );
  }

  /** Posts a form the way a browser would, with the token the page at `formPage` gave it. */
  async submit(formPage: string, action: string, fields: FormFields): Promise<LightMyRequestResponse> {
    const page = await this.get(formPage);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${formPage}`);
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
    return this.post(action, [...pairs, ['_csrf', token]]);
  }

  /** Posts a multipart form with one file, with the CSRF token of the page at `formPage`. */
  async upload(
    formPage: string,
    action: string,
    fields: Record<string, string>,
    file: { field: string; filename: string; bytes: Buffer; type?: string },
  ): Promise<LightMyRequestResponse> {
    const token = /name="_csrf" value="([^"]+)"/.exec((await this.get(formPage)).body)?.[1];
    if (!token) throw new Error(`no CSRF token on ${formPage}`);
    const boundary = `----hocvuso${Date.now()}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries({ _csrf: token, ...fields })) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
      );
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url: action,
        headers: { cookie: this.cookieHeader, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat(parts),
      }),
    );
  }

  async post(url: string, fields: FormFields): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  async json(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({
        method,
        url,
        headers: {
          cookie: this.cookieHeader,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      }),
    );
  }

  /** Signs in through the JSON API. */
  async login(identifier: string, password: string): Promise<LightMyRequestResponse> {
    return this.json('POST', '/api/auth/login', { identifier, password });
  }
}

/** A browser signed in as this account (made with the test password). */
export async function signedIn(app: FastifyInstance, account: { phone: string | null }): Promise<Browser> {
  const browser = new Browser(app);
  const response = await browser.login(account.phone ?? '', TEST_PASSWORD);
  if (response.statusCode !== 200) throw new Error(`log-in failed: ${response.body}`);
  return browser;
}
