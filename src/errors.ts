/** Field name → Vietnamese message shown next to that field. */
export type FieldErrors = Record<string, string>;

/**
 * An error meant for the user: an HTTP status, a stable code for API clients, a Vietnamese
 * message, and per-field messages for forms. Anything else that is thrown is a bug and is
 * shown as a generic 500 without details.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
  }
}

export const validationFailed = (
  fields: FieldErrors,
  message = 'Thông tin chưa hợp lệ, vui lòng kiểm tra lại.',
) => new AppError(400, 'validation_failed', message, fields);

export const notFound = (message = 'Không tìm thấy nội dung bạn yêu cầu.') =>
  new AppError(404, 'not_found', message);

export const forbidden = (message = 'Bạn không có quyền thực hiện thao tác này.') =>
  new AppError(403, 'forbidden', message);

export const unauthenticated = (message = 'Vui lòng đăng nhập để tiếp tục.') =>
  new AppError(401, 'unauthenticated', message);

export const conflict = (fields: FieldErrors, message: string) =>
  new AppError(409, 'conflict', message, fields);
