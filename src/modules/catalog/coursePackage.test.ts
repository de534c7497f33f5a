import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MINI_COURSE } from '../../../test/support/factories.js';
import { COURSES_FOLDER } from '../../demo/seedDemo.js';
import { readCoursePackage } from './coursePackage.js';
import { readPackages } from './importCourse.js';
import { wordCount } from './lessonMarkdown.js';

/** A copy of the mini package with one file rewritten, for the refusal tests. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'hv-package-')), 'mini');
  cpSync(MINI_COURSE, folder, { recursive: true });
  writeFileSync(join(folder, file), edit(readFileSync(join(folder, file), 'utf8')));
  return folder;
}

describe('course packages', () => {
  it('reads a valid package: modules, lessons, quiz with its answer key, image and video', () => {
    const { course, problems } = readCoursePackage(MINI_COURSE);
    assert.deepEqual(problems, []);
    assert.ok(course);
    assert.equal(course.title, 'Làm quen với Zalo an toàn');
    assert.deepEqual(course.blocks, ['citizen', 'student']);
    const [first, second] = course.modules[0]?.lessons ?? [];
    assert.equal(first?.quiz?.questions.length, 3);
    assert.equal(first?.quiz?.passPercent, 60);
    assert.deepEqual(
      first?.quiz?.questions[2]?.options.map((o) => o.correct),
      [true, true, false],
    );
    assert.equal(second?.video?.url, 'https://example.org/video/nhan-tin');
    assert.deepEqual([...course.assets.keys()], ['images/cua-hang.svg']);
  });

  it('gives the same digest for the same files and another for any change', () => {
    const a = readCoursePackage(MINI_COURSE).course;
    const b = readCoursePackage(MINI_COURSE).course;
    const changed = readCoursePackage(
      brokenCopy('lessons/02-nhan-tin.md', (t) => `${t}\nThêm một dòng.\n`),
    ).course;
    assert.equal(a?.digest, b?.digest);
    assert.notEqual(a?.digest, changed?.digest);
  });

  it('refuses a broken reference with the manifest file and line', () => {
    const folder = brokenCopy('course.yaml', (t) =>
      t.replace('quizzes/01-cai-dat.yaml', 'quizzes/khong-co.yaml'),
    );
    const { course, problems } = readCoursePackage(folder);
    assert.equal(course, null);
    assert.deepEqual(problems, [
      { file: join(folder, 'course.yaml'), line: 13, message: 'Không tìm thấy tệp "quizzes/khong-co.yaml".' },
    ]);
  });

  it('lists every problem of a quiz and a lesson at once, each with its line', () => {
    let folder = brokenCopy('quizzes/01-cai-dat.yaml', (t) =>
      t
        .replace('      - text: Không bao giờ.\n        correct: true\n', '      - Không bao giờ.\n')
        .replace('kind: multiple', 'kind: nhieu'),
    );
    const quizProblems = readCoursePackage(folder).problems.map((p) => `${p.line}: ${p.message}`);
    assert.deepEqual(quizProblems, [
      '15: Chưa có phương án nào được đánh dấu correct: true.',
      '19: "kind" phải là single hoặc multiple, không phải "nhieu".',
    ]);
    folder = brokenCopy('lessons/01-cai-dat.md', (t) =>
      t.replace('![Biểu tượng cửa hàng ứng dụng trên điện thoại]', '![]'),
    );
    const [imageProblem] = readCoursePackage(folder).problems;
    assert.equal(imageProblem?.line, 5);
    assert.match(imageProblem?.message ?? '', /thiếu mô tả \(alt\)/);
  });

  it('takes a packaged video only with Vietnamese captions', () => {
    const withVideo = (captions: boolean) => {
      const folder = brokenCopy('course.yaml', (t) =>
        t.replace(
          '          url: https://example.org/video/nhan-tin\n',
          `          file: videos/nhan-tin.mp4\n${captions ? '          captions: videos/nhan-tin.vtt\n' : ''}`,
        ),
      );
      mkdirSync(join(folder, 'videos'));
      writeFileSync(join(folder, 'videos/nhan-tin.mp4'), Buffer.from('not really a video'));
      writeFileSync(join(folder, 'videos/nhan-tin.vtt'), 'WEBVTT\n\n00:00.000 --> 00:02.000\nMở Zalo.\n');
      return readCoursePackage(folder);
    };
    assert.deepEqual(
      withVideo(false).problems.map((p) => [p.line, p.message]),
      [[19, 'Video trong gói cần phụ đề tiếng Việt: thêm "captions" (tệp .vtt).']],
    );
    const ok = withVideo(true);
    assert.deepEqual(ok.problems, []);
    assert.deepEqual([...(ok.course?.assets.keys() ?? [])].sort(), [
      'images/cua-hang.svg',
      'videos/nhan-tin.mp4',
      'videos/nhan-tin.vtt',
    ]);
  });

  it('reports malformed YAML and unknown keys instead of ignoring them', () => {
    const folder = brokenCopy('course.yaml', (t) =>
      t.replace('topic: ky-nang-so-co-ban', 'topik: ky-nang-so-co-ban\nblocks: [citizen'),
    );
    const { problems } = readCoursePackage(folder);
    assert.ok(problems.length > 0);
    assert.match(problems[0]?.message ?? '', /YAML không hợp lệ/);
    const typo = brokenCopy('course.yaml', (t) =>
      t.replace('topic: ky-nang-so-co-ban', 'topic: ky-nang-so-co-ban\nminute: 5'),
    );
    assert.deepEqual(
      readCoursePackage(typo).problems.map((p) => [p.line, p.message]),
      [[5, 'Khóa "minute" không được hỗ trợ.']],
    );
  });
});

describe('the three courses shipped for the demo', () => {
  const { courses, problems } = readPackages(COURSES_FOLDER);

  it('are valid packages', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(courses.map((c) => c.slug).sort(), [
      'an-toan-thong-tin-can-bo',
      'dich-vu-cong-va-vneid',
      'phong-tranh-lua-dao',
    ]);
  });

  it('have at least 3 lessons of 10–15 minutes, each with real reading length and a quiz of 5+ questions', () => {
    for (const course of courses) {
      const lessons = course.modules.flatMap((m) => m.lessons);
      assert.ok(lessons.length >= 3, `${course.slug}: ${lessons.length} lessons`);
      for (const lesson of lessons) {
        assert.ok(lesson.minutes >= 10 && lesson.minutes <= 15, `${lesson.slug}: ${lesson.minutes} min`);
        // About 100 words a minute for a slow reader on a phone.
        assert.ok(
          wordCount(lesson.markdown) >= lesson.minutes * 100,
          `${lesson.slug}: ${wordCount(lesson.markdown)} words`,
        );
        assert.ok((lesson.quiz?.questions.length ?? 0) >= 5, `${lesson.slug}: quiz too short`);
        assert.equal(lesson.markdown, lesson.markdown.normalize('NFC'));
      }
    }
  });

  it('make at least a third of the questions situations, every question explained', () => {
    for (const course of courses) {
      const questions = course.modules.flatMap((m) => m.lessons).flatMap((l) => l.quiz?.questions ?? []);
      const situations = questions.filter((q) => q.situation !== null).length;
      assert.ok(
        situations * 3 >= questions.length,
        `${course.slug}: ${situations}/${questions.length} situations`,
      );
      assert.ok(questions.every((q) => q.explanation.length > 20));
    }
  });
});
