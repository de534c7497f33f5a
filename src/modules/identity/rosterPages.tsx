/**
 * The roster import pages: upload → preview → confirm. The upload waits on disk (in the tenant's
 * upload folder) until it is confirmed; a refused upload is deleted at once and only its rejected
 * rows, CCCD masked, stay for download. Both are dropped after a day.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { acceptUploads, claimUpload, uploadedFile, uploadsFolder } from '../../web/uploads.js';
import { identityPolicy } from './policy.js';
import { dropStaleUploads, sendRejectedRows } from './rejectedUploads.js';
import { MAX_ROSTER_BYTES } from './rosterFile.js';
import { checkRoster, importRoster, type RowProblems } from './rosterImport.js';
import { writeRejectedRows } from './rosterRejected.js';
import { PreviewPage, ProblemsPage, ROSTER, UploadPage } from './rosterViews.js';

/** Random upload names, unlike the question import's: neither can be mistaken for the other. */
const UPLOAD_ID = /^ds[0-9a-f]{32}$/;
const PAGE = { config: { access: 'signedIn' as const } };

/** Whether the actor may import into some unit: the rows then decide unit by unit. */
const mayImport = (actor: Actor | null, tenantId: string) =>
  actor?.grants.some((g) => identityPolicy(actor, 'roster.import', { tenantId, unitPath: g.unitPath })) ??
  false;

export const rosterPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await acceptUploads(app);
  // Decided before any upload is read; each row's unit is checked again against the policy.
  app.addHook('onRequest', async (request) => {
    authorize(mayImport(actorOf(request), request.tenant.id));
  });
  const uploadsOf = (tenantId: string) => uploadsFolder(ctx.config.dataDir, tenantId);

  const refused = async (
    request: FastifyRequest,
    reply: FastifyReply,
    file: string,
    id: string,
    filename: string,
    problems: RowProblems[],
  ) => {
    const rejected = await writeRejectedRows(
      file,
      problems,
      path.join(uploadsOf(request.tenant.id), `${id}.xlsx`),
    );
    return sendPage(
      reply,
      <ProblemsPage
        shell={shellOf(ctx, request, reply)}
        filename={filename}
        problems={problems}
        rejectedUrl={rejected ? `${ROSTER}/loi/${id}.xlsx` : null}
      />,
      400,
    );
  };

  app.get(ROSTER, PAGE, (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const done =
      query.moi === undefined
        ? undefined
        : {
            created: Number(query.moi) || 0,
            updated: Number(query['cap-nhat']) || 0,
            unchanged: Number(query['khong-doi']) || 0,
          };
    return sendPage(reply, <UploadPage shell={shellOf(ctx, request, reply)} done={done} />);
  });

  app.post(`${ROSTER}/nhap`, PAGE, async (request, reply) => {
    const upload = uploadedFile(request.body, 'file');
    const error =
      !upload || upload.bytes.length === 0
        ? 'Hãy chọn tệp danh sách.'
        : upload.bytes.length > MAX_ROSTER_BYTES
          ? 'Tệp lớn quá 50 MB; hãy chia thành nhiều tệp nhỏ hơn.'
          : undefined;
    if (!upload || error)
      return sendPage(reply, <UploadPage shell={shellOf(ctx, request, reply)} error={error} />, 400);
    const filename = cleanText(upload.filename).slice(0, 200) || 'danh-sach';
    const dir = uploadsOf(request.tenant.id);
    await mkdir(dir, { recursive: true });
    await dropStaleUploads(dir, UPLOAD_ID);
    const id = `ds${randomBytes(16).toString('hex')}`;
    const file = path.join(dir, id);
    await writeFile(file, upload.bytes);
    const result = await checkRoster(ctx, request.tenant.id, actorOf(request), file);
    if (!result.ok) {
      try {
        return await refused(request, reply, file, id, filename, result.problems);
      } finally {
        await rm(file, { force: true });
      }
    }
    return sendPage(
      reply,
      <PreviewPage
        shell={shellOf(ctx, request, reply)}
        id={id}
        filename={filename}
        counts={result.counts}
        preview={result.preview}
      />,
    );
  });

  app.post(`${ROSTER}/nhap/xac-nhan`, PAGE, async (request, reply) => {
    const form = readForm(request.body);
    const id = form.id ?? '';
    const filename = cleanText(form.filename ?? '').slice(0, 200) || 'danh-sach';
    if (!UPLOAD_ID.test(id)) throw validationFailed({ id: 'Mã tệp tải lên không hợp lệ.' });
    const file = path.join(uploadsOf(request.tenant.id), id);
    const claimed = await claimUpload(file);
    try {
      const result = await importRoster(ctx, request.tenant.id, actorOf(request), claimed, filename);
      if (!result.ok) return await refused(request, reply, claimed, id, filename, result.problems);
      const { created, updated, unchanged } = result.counts;
      const counts = new URLSearchParams({
        moi: `${created}`,
        'cap-nhat': `${updated}`,
        'khong-doi': `${unchanged}`,
      });
      return reply.redirect(`${ROSTER}?${counts}`, 303);
    } finally {
      await rm(claimed, { force: true });
    }
  });

  app.get(`${ROSTER}/loi/:name`, PAGE, (request, reply) =>
    sendRejectedRows(
      reply,
      uploadsOf(request.tenant.id),
      (request.params as { name: string }).name,
      UPLOAD_ID,
      'danh-sach-loi.xlsx',
    ),
  );
};
