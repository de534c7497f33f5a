import { vietnamDay } from '../../web/format.js';
import { Layout, type Shell } from '../../web/page.js';
import type { CourseSummary } from '../catalog/service.js';
import type { AssignmentView, Program } from './service.js';
import { STATUS_LABELS } from './status.js';
import type { Target } from './targets.js';

const ROLE_LABELS = { required: 'Bắt buộc', elective: 'Tự chọn', final: 'Bài kiểm tra cuối' } as const;

/** "You have 2 required courses, due 30/6": the learner's duties, soonest first. */
export function RequiredLearning(props: { assignments: AssignmentView[]; targets: Map<string, Target> }) {
  const open = props.assignments.filter((a) => a.status !== 'completed' && a.status !== 'exempt');
  if (props.assignments.length === 0) return null;
  const soonest = open[0];
  return (
    <section aria-labelledby="required-learning">
      <h2 id="required-learning">Việc học bắt buộc</h2>
      <p>
        {open.length === 0
          ? 'Bạn đã hoàn thành mọi việc học được giao.'
          : `Bạn có ${open.length} việc học bắt buộc${soonest ? `, hạn gần nhất ${vietnamDay(soonest.dueOn)}` : ''}.`}
      </p>
      <ul class="plain duties">
        {props.assignments.map((a) => {
          const target = props.targets.get(a.targetId);
          return (
            <li key={a.id} class={`duty ${a.status}`}>
              <a href={target?.href ?? '#'}>{target?.title ?? 'Khóa học'}</a>{' '}
              <span class="meta">
                · hạn {vietnamDay(a.dueOn)} · <strong>{STATUS_LABELS[a.status]}</strong>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export interface ProgramCourseView {
  course: CourseSummary;
  role: keyof typeof ROLE_LABELS;
  completed: boolean;
}

/** A program as a learner reads it: what to take, what they have done, what it grants. */
export function ProgramPage(props: { shell: Shell; program: Program; courses: ProgramCourseView[] }) {
  const { shell, program, courses } = props;
  const electives = courses.filter((c) => c.role === 'elective');
  return (
    <Layout shell={shell} title={program.name}>
      <h1>{program.name}</h1>
      {program.description && <p>{program.description}</p>}
      <p>
        Hoàn thành chương trình để được xác nhận <strong>đạt yêu cầu Bình dân học vụ số</strong>
        {program.validityMonths ? `, có hiệu lực ${program.validityMonths} tháng` : ''}.
        {electives.length > 0 &&
          ` Cần hoàn thành ${program.electivesRequired} trong ${electives.length} khóa tự chọn.`}
      </p>
      <table class="data">
        <caption class="visually-hidden">Các khóa học của chương trình</caption>
        <thead>
          <tr>
            <th scope="col">Khóa học</th>
            <th scope="col">Loại</th>
            <th scope="col">Tình trạng</th>
          </tr>
        </thead>
        <tbody>
          {courses.map((c) => (
            <tr key={c.course.id}>
              <td>
                <a href={`/khoa-hoc/${c.course.slug}`}>{c.course.title}</a>
              </td>
              <td>{ROLE_LABELS[c.role]}</td>
              <td>{c.completed ? 'Đã hoàn thành' : 'Chưa hoàn thành'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
