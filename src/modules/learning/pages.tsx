import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { coursePath, ProgressBar } from '../catalog/pages.js';
import type { CourseSummary } from '../catalog/service.js';
import { qualificationByCode } from '../programs/qualifications.js';
import { QualificationVerdict } from '../programs/qualificationVerify.js';
import { renderCertificatePdf } from './certificatePdf.js';
import { learningPolicy } from './policy.js';
import type { Certificate } from './service.js';

const certificatePdfPath = (code: string) => `/chung-nhan/${code}.pdf`;
export const verifyPath = (code: string) => `/verify/${encodeURIComponent(code)}`;

const vietnameseDate = (isoDate: string) => {
  const [year, month, day] = isoDate.slice(0, 10).split('-');
  return `${day}/${month}/${year}`;
};

interface MyCourse {
  course: CourseSummary;
  percent: number;
  completedAt: string | null;
}

function MyLearningPage(props: {
  shell: Shell;
  inProgress: MyCourse[];
  completed: MyCourse[];
  certificates: Certificate[];
}) {
  const { shell, inProgress, completed, certificates } = props;
  return (
    <Layout shell={shell} title="Việc học của tôi">
      <h1>Việc học của tôi</h1>
      <section>
        <h2>Đang học</h2>
        {inProgress.length === 0 ? (
          <p class="notice">
            Bạn chưa bắt đầu khóa học nào. <a href="/khoa-hoc">Chọn một khóa học</a>
          </p>
        ) : (
          <ul class="plain cards">
            {inProgress.map(({ course, percent }) => (
              <li key={course.id} class="card">
                <h3>
                  <a href={coursePath(course.slug)}>{course.title}</a>
                </h3>
                <ProgressBar percent={percent} label={`Đã học ${percent}%`} />
                <a class="button primary" href={coursePath(course.slug)}>
                  Học tiếp
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>Đã hoàn thành</h2>
        {completed.length === 0 ? (
          <p class="notice">Chưa có khóa học nào hoàn thành.</p>
        ) : (
          <ul>
            {completed.map(({ course, completedAt }) => (
              <li key={course.id}>
                <a href={coursePath(course.slug)}>{course.title}</a> – hoàn thành ngày{' '}
                {vietnameseDate(completedAt ?? '')}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>Giấy chứng nhận</h2>
        {certificates.length === 0 ? (
          <p class="notice">Hoàn thành một khóa học để nhận giấy chứng nhận.</p>
        ) : (
          <ul>
            {certificates.map((c) => (
              <li key={c.code}>
                {c.courseTitle} (ngày {vietnameseDate(c.issuedOn)}, số hiệu {c.code}):{' '}
                <a href={certificatePdfPath(c.code)} download>
                  Tải PDF
                </a>{' '}
                · <a href={verifyPath(c.code)}>Trang kiểm tra</a>
                {c.revokedAt && <strong> – đã bị thu hồi</strong>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

function VerifyPage({
  shell,
  code,
  certificate,
  issuer,
  other,
}: {
  shell: Shell;
  code: string;
  certificate: Certificate | null;
  issuer: string;
  /** The verdict on another kind of paper with this code (a qualification), when it is one. */
  other?: VNode | null;
}) {
  return (
    <Layout shell={shell} title="Kiểm tra giấy chứng nhận">
      <h1>Kiểm tra giấy chứng nhận</h1>
      {other ? (
        other
      ) : !certificate ? (
        <p class="notice bad" role="status">
          Không tìm thấy giấy chứng nhận có số hiệu <strong>{code}</strong>. Hãy kiểm tra lại số hiệu in trên
          giấy.
        </p>
      ) : certificate.revokedAt ? (
        <p class="notice bad" role="status">
          Giấy chứng nhận số <strong>{certificate.code}</strong> đã bị <strong>thu hồi</strong> ngày{' '}
          {vietnameseDate(certificate.revokedAt)}
          {certificate.revokedReason ? ` (lý do: ${certificate.revokedReason})` : ''}. Giấy này không còn giá
          trị.
        </p>
      ) : (
        <div class="notice ok" role="status">
          <p>
            <strong>Giấy chứng nhận hợp lệ.</strong>
          </p>
          <dl>
            <dt>Người học</dt>
            <dd>{certificate.learnerName}</dd>
            <dt>Khóa học</dt>
            <dd>{certificate.courseTitle}</dd>
            <dt>Ngày cấp</dt>
            <dd>{vietnameseDate(certificate.issuedOn)}</dd>
            <dt>Đơn vị cấp</dt>
            <dd>{issuer}</dd>
            <dt>Số hiệu</dt>
            <dd>{certificate.code}</dd>
          </dl>
        </div>
      )}
      <form method="get" action="/verify" class="filters">
        <div class="field">
          <label for="ma">Kiểm tra số hiệu khác</label>
          <input id="ma" name="ma" type="text" autocomplete="off" />
        </div>
        <button type="submit" class="button">
          Kiểm tra
        </button>
      </form>
    </Layout>
  );
}

/** "My learning", certificate downloads and the public verification page. */
export const learningPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get('/hoc-tap', { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    authorize(
      learningPolicy(actor, 'progress.record', { tenantId: request.tenant.id, accountId: actor.accountId }),
    );
    const rows = await ctx.learning.coursesOf(actor.accountId);
    const courses = new Map(
      (
        await ctx.catalog.coursesByIds(
          request.tenant.id,
          rows.map((r) => r.courseId),
        )
      ).map((c) => [c.id, c]),
    );
    const mine = rows.flatMap((r) => {
      const course = courses.get(r.courseId);
      return course ? [{ course, percent: r.percent, completedAt: r.completedAt }] : [];
    });
    return sendPage(
      reply,
      <MyLearningPage
        shell={shellOf(ctx, request, reply)}
        inProgress={mine.filter((m) => !m.completedAt)}
        completed={mine.filter((m) => m.completedAt)}
        certificates={await ctx.learning.certificatesOf(actor.accountId)}
      />,
    );
  });

  app.get('/chung-nhan/:file', { config: { access: 'signedIn' } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    const certificate = file.endsWith('.pdf')
      ? await ctx.learning.certificateByCode(file.slice(0, -4))
      : null;
    if (!certificate || certificate.tenantId !== request.tenant.id)
      throw notFound('Không tìm thấy giấy chứng nhận.');
    authorize(learningPolicy(actorOf(request), 'certificate.download', certificate));
    const pdf = await renderCertificatePdf({
      code: certificate.code,
      learnerName: certificate.learnerName,
      courseTitle: certificate.courseTitle,
      issuedOn: certificate.issuedOn,
      tenantName: request.tenant.name,
      verifyUrl: `${ctx.config.publicUrl}${verifyPath(certificate.code)}`,
    });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="chung-nhan-${certificate.code}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  // Public on purpose: anyone holding the paper can check it, without an account.
  app.get('/verify', { config: { access: 'public' } }, async (request, reply) => {
    const { ma } = request.query as { ma?: string };
    if (typeof ma === 'string' && ma.trim() !== '') return reply.redirect(verifyPath(ma.trim()), 303);
    return reply.redirect('/', 303);
  });

  app.get('/verify/:code', { config: { access: 'public' } }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const certificate = await ctx.learning.certificateByCode(code.slice(0, 40));
    // One public address for every paper: a code that is no certificate may be a qualification.
    const qualification = certificate ? null : await qualificationByCode(ctx.db, code.slice(0, 40));
    const found = certificate ?? qualification;
    const issuer = found ? ((await ctx.org.tenantById(found.tenantId))?.name ?? '') : '';
    const page = (
      <VerifyPage
        shell={shellOf(ctx, request, reply)}
        code={code.slice(0, 40)}
        certificate={certificate}
        issuer={issuer}
        other={
          qualification && (
            <QualificationVerdict qualification={qualification} issuer={issuer} today={todayInVietnam()} />
          )
        }
      />
    );
    return sendPage(reply, page, found ? 200 : 404);
  });
};
