import type { Actor } from '../../access/actor.js';
import { handoutOf, publishedView } from '../catalog/exportCourse.js';
import type { ImageLoader } from '../catalog/handoutPdf.js';
import { rosterOf } from './classReports.js';
import { renderClassKit } from './kitPdf.js';
import { accountsByIds, allowedSession, type ClassDeps } from './sessions.js';
import { sessionWhen } from './sessionTimes.js';

/**
 * The printable kit of a session the actor runs: the attendance sheet (everyone holding a seat,
 * then blank lines up to the capacity; phones masked, as the sheet lies on a table in a public
 * hall) and the handout of the published version of its course, if it has one.
 */
export async function classKit(
  deps: ClassDeps,
  actor: Actor,
  sessionId: string,
  tenantName: string,
  loadImage: ImageLoader,
): Promise<Buffer> {
  const { session, unit } = await allowedSession(deps, actor, sessionId, 'class.run');
  const roster = await rosterOf(deps, session);
  const instructor = (await accountsByIds(deps, session.tenantId, [session.instructorAccountId])).get(
    session.instructorAccountId,
  );
  const course = session.courseId ? await deps.catalog.courseById(session.tenantId, session.courseId) : null;
  const handout = course
    ? await handoutOf(
        deps,
        await publishedView(deps, session.tenantId, course.id),
        tenantName,
        `Phiên bản ${course.versionNumber ?? ''}`.trim(),
      )
    : null;
  return renderClassKit(
    {
      tenantName,
      title: session.title,
      courseTitle: course?.title ?? null,
      when: sessionWhen(session),
      place: session.place,
      unitName: unit.fullName,
      instructorName: instructor?.fullName ?? '',
      capacity: session.capacity,
      people: [...roster.people, ...roster.walkIns].map((e) => ({ name: e.name, phone: e.maskedPhone })),
    },
    handout,
    loadImage,
  );
}
