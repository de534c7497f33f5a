import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldErrors } from '../errors.js';
import type { AppContext } from './context.js';
import { Layout, sendPage, shellOf } from './page.js';

interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Vietnamese message for one JSON-schema failure, keyed by the field it concerns. */
function describeIssue(issue: SchemaIssue): [string, string] {
  const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const limit = issue.params.limit;
  switch (issue.keyword) {
    case 'required':
      return [String(issue.params.missingProperty), 'Thông tin này là bắt buộc.'];
    case 'additionalProperties':
      return [String(issue.params.additionalProperty), 'Trường này không được chấp nhận.'];
    case 'minLength':
      return [field, limit === 1 ? 'Thông tin này là bắt buộc.' : `Cần ít nhất ${limit} ký tự.`];
    case 'maxLength':
      return [field, `Tối đa ${limit} ký tự.`];
    case 'minimum':
      return [field, `Giá trị nhỏ nhất là ${limit}.`];
    case 'maximum':
      return [field, `Giá trị lớn nhất là ${limit}.`];
    case 'type':
      return [field, 'Sai kiểu dữ liệu.'];
    case 'enum':
    case 'const':
    case 'anyOf':
      return [field, 'Giá trị không nằm trong danh sách cho phép.'];
    default:
      return [field, 'Giá trị không đúng định dạng.'];
  }
}

/** Turns whatever was thrown into the AppError the user sees; unknown errors become a bare 500. */
export function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const fields: FieldErrors = {};
    for (const issue of fastifyError.validation as SchemaIssue[]) {
      const [field, message] = describeIssue(issue);
      fields[field || '_'] ??= message;
    }
    return new AppError(400, 'validation_failed', 'Thông tin chưa hợp lệ, vui lòng kiểm tra lại.', fields);
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) return new AppError(413, 'too_large', 'Dữ liệu gửi lên quá lớn.');
  if (status === 415)
    return new AppError(415, 'unsupported_media_type', 'Định dạng dữ liệu gửi lên không được hỗ trợ.');
  if (status >= 400 && status < 500) return new AppError(status, 'bad_request', 'Yêu cầu không hợp lệ.');
  return new AppError(500, 'internal_error', 'Đã có lỗi ở máy chủ. Vui lòng thử lại sau ít phút.');
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

function ErrorPage({ title, message }: { title: string; message: string }) {
  return (
    <section class="panel">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a class="button" href="/">
          Về trang chủ
        </a>
      </p>
    </section>
  );
}

const TITLES: Record<number, string> = {
  400: 'Yêu cầu chưa hợp lệ',
  401: 'Cần đăng nhập',
  403: 'Không có quyền truy cập',
  404: 'Không tìm thấy trang',
  429: 'Thao tác quá nhiều lần',
  503: 'Hệ thống tạm thời chưa sẵn sàng',
};

function sendError(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (isApi(request)) {
    return reply
      .status(error.status)
      .send({ error: { code: error.code, message: error.message, fields: error.fields } });
  }
  if (error.status === 401) {
    return reply.redirect(`/dang-nhap?next=${encodeURIComponent(request.url)}`, 303);
  }
  const title = TITLES[error.status] ?? (error.status >= 500 ? 'Đã có lỗi xảy ra' : 'Yêu cầu chưa hợp lệ');
  return sendPage(
    reply,
    <Layout shell={shellOf(ctx, request, reply)} title={title}>
      <ErrorPage title={title} message={error.message} />
    </Layout>,
    error.status,
  );
}

/** Every error reaches the user in Vietnamese: JSON under /api/, a page elsewhere; never a stack trace. */
export function installErrorHandling(app: FastifyInstance, ctx: AppContext): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(ctx, request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      ctx,
      request,
      reply,
      new AppError(
        404,
        'not_found',
        'Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ.',
      ),
    ),
  );
}
