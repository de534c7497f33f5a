/**
 * Importing teams from a spreadsheet: the upload is checked and, when every row is right, stored
 * at once; a refused upload is deleted and only its rejected rows stay for download (a day).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { sendTable } from '../../web/tableDownload.js';
import { acceptUploads, uploadedFile, uploadsFolder } from '../../web/uploads.js';
import { dropStaleUploads, sendRejectedRows } from '../identity/rejectedUploads.js';
import { ImportPage, ImportProblemsPage, TEMPLATE_PATH } from './importViews.js';
import { managesTeamsSomewhere, PAGE, signedInActor } from './requestTeam.js';
import { MAX_TEAM_FILE_BYTES, TEAM_HEADERS } from './teamFile.js';
import { writeRejectedTeams } from './teamRejected.js';
import { IMPORT_PATH } from './views.js';

/** Upload names of this importer: a prefix no other importer of the folder uses. */
const UPLOAD_ID = /^to[0-9a-f]{32}$/;

export const importPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await acceptUploads(app);
  // Decided before any upload is read; each row's unit is checked again against the policy.
  app.addHook('onRequest', async (request) => {
    authorize(managesTeamsSomewhere(actorOf(request), request.tenant.id));
  });
  const uploadsOf = (tenantId: string) => uploadsFolder(ctx.config.dataDir, tenantId);

  app.get(IMPORT_PATH, PAGE, (request, reply) => {
    const query = readForm(request.query);
    const done =
      query.to === undefined ? undefined : { teams: Number(query.to) || 0, members: Number(query.tv) || 0 };
    return sendPage(reply, <ImportPage shell={shellOf(ctx, request, reply)} done={done} />);
  });

  app.get(TEMPLATE_PATH, PAGE, (request, reply) =>
    sendTable(
      request,
      reply,
      {
        sheetName: 'Tổ công nghệ số',
        lines: [],
        columns: Object.values(TEAM_HEADERS).map((header) => ({ header, width: 28 })),
        rows: [],
      },
      'xlsx',
      'mau-to-cong-nghe-so',
    ),
  );

  app.post(IMPORT_PATH, PAGE, async (request, reply) => {
    const upload = uploadedFile(request.body, 'file');
    const error =
      !upload || upload.bytes.length === 0
        ? 'Hãy chọn tệp danh sách tổ.'
        : upload.bytes.length > MAX_TEAM_FILE_BYTES
          ? 'Tệp lớn quá 5 MB; hãy chia thành nhiều tệp nhỏ hơn.'
          : undefined;
    if (!upload || error)
      return sendPage(reply, <ImportPage shell={shellOf(ctx, request, reply)} error={error} />, 400);
    const filename = cleanText(upload.filename).slice(0, 200) || 'danh-sach-to';
    const dir = uploadsOf(request.tenant.id);
    await mkdir(dir, { recursive: true });
    await dropStaleUploads(dir, UPLOAD_ID);
    const id = `to${randomBytes(16).toString('hex')}`;
    const file = path.join(dir, id);
    await writeFile(file, upload.bytes);
    try {
      const result = await ctx.community.importTeams(
        request.tenant.id,
        signedInActor(request),
        file,
        filename,
      );
      if (result.ok) {
        const counts = new URLSearchParams({ to: `${result.teams}`, tv: `${result.members}` });
        return reply.redirect(`${IMPORT_PATH}?${counts}`, 303);
      }
      const rejected = await writeRejectedTeams(file, result.problems, path.join(dir, `${id}.xlsx`));
      return sendPage(
        reply,
        <ImportProblemsPage
          shell={shellOf(ctx, request, reply)}
          filename={filename}
          problems={result.problems}
          rejectedUrl={rejected ? `${IMPORT_PATH}/loi/${id}.xlsx` : null}
        />,
        400,
      );
    } finally {
      await rm(file, { force: true });
    }
  });

  app.get(`${IMPORT_PATH}/loi/:name`, PAGE, (request, reply) =>
    sendRejectedRows(
      reply,
      uploadsOf(request.tenant.id),
      (request.params as { name: string }).name,
      UPLOAD_ID,
      'danh-sach-to-loi.xlsx',
    ),
  );
};
