import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readCoursePackage } from './coursePackage.js';
import { wordCount } from './lessonMarkdown.js';
import { readPackages } from './packageArchive.js';

// Paths of their own: the modules that also name them import the whole application.
const COURSES_FOLDER = fileURLToPath(new URL('../../../content/courses', import.meta.url));
const MINI_COURSE = fileURLToPath(new URL('../../../test/fixtures/courses/mini', import.meta.url));

const EVERY_KIND = fileURLToPath(new URL('../../../test/fixtures/courses/every-kind', import.meta.url));

/** A copy of a package (the mini one unless told) with one file rewritten, for the refusal tests. */
function brokenCopy(file: string, edit: (text: string) => string, source = MINI_COURSE): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'hv-package-')), 'mini');
  cpSync(source, folder, { recursive: true });
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
    assert.equal(first?.quiz?.settings.passPercent, 60);
    assert.deepEqual(first?.quiz?.questions[2]?.body, {
      kind: 'multiple',
      options: [
        { text: 'Hối thúc phải làm ngay.', correct: true },
        { text: 'Đòi chuyển tiền hoặc mã OTP.', correct: true },
        { text: 'Người thân hỏi thăm sức khỏe.', correct: false },
      ],
    });
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
      '12: Chưa có phương án đúng.',
      '19: "kind" phải là một trong single, multiple, trueFalse, matching, ordering, numeric; không phải "nhieu".',
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

describe('package features beyond lessons and quizzes', () => {
  it('reads a cover, framework codes, a PDF handout, a low-bandwidth video, question images and a final test', () => {
    const { course, problems } = readCoursePackage(EVERY_KIND);
    assert.deepEqual(problems, []);
    assert.ok(course);
    assert.deepEqual(course.cover, {
      assetPath: 'images/bia.png',
      alt: 'Điện thoại hiện mã OTP bên cạnh một ổ khóa',
    });
    assert.deepEqual(course.frameworks, ['TT02-4.2', 'QD757-2.1']);
    const [otp, transfer] = course.modules.flatMap((m) => m.lessons);
    assert.deepEqual(otp?.frameworks, ['TT02-4.2']);
    assert.deepEqual(otp?.video, {
      title: 'Video hướng dẫn nhận biết tin nhắn OTP',
      assetPath: 'videos/huong-dan.mp4',
      captionsPath: 'videos/huong-dan.vtt',
      lowBandwidthPath: 'videos/huong-dan-360p.mp4',
      url: null,
    });
    assert.deepEqual(otp?.attachments, [
      { title: 'Tờ hướng dẫn in cho người cao tuổi', assetPath: 'files/huong-dan.pdf' },
    ]);
    assert.deepEqual(transfer?.attachments, []);
    const kinds = [otp, transfer].flatMap((l) => l?.quiz?.questions ?? []).map((q) => q.body.kind);
    assert.deepEqual(kinds, ['single', 'multiple', 'trueFalse', 'matching', 'ordering', 'numeric']);
    assert.deepEqual(otp?.quiz?.questions[0]?.image, {
      src: 'images/tin-nhan-otp.svg',
      alt: 'Tin nhắn chứa mã OTP của ngân hàng',
    });
    assert.equal(otp?.quiz?.settings.feedback, 'afterPass');
    assert.deepEqual(course.finalTest?.questions, []);
    assert.deepEqual(course.finalTest?.settings.draws, [
      { count: 2, tags: ['otp'], difficulty: 'easy' },
      { count: 2, tags: ['chuyen-tien'], difficulty: null },
      { count: 1, tags: [], difficulty: null },
    ]);
    assert.deepEqual(
      [...course.assets.values()].map((a) => `${a.path} ${a.mediaType}`),
      [
        'images/bia.png image/png',
        'images/tin-nhan-otp.svg image/svg+xml',
        'videos/huong-dan.mp4 video/mp4',
        'videos/huong-dan.vtt text/vtt',
        'videos/huong-dan-360p.mp4 video/mp4',
        'files/huong-dan.pdf application/pdf',
      ],
    );
  });

  it('gives the same digest however the files are formatted, another when the content changes', () => {
    const digest = (folder: string) => readCoursePackage(folder).course?.digest;
    const original = digest(EVERY_KIND);
    const reformatted = brokenCopy(
      'course.yaml',
      (t) =>
        `# Một chú thích.\n${t.replace('blocks: [citizen, community]', 'blocks:\n  - citizen\n  - "community"')}`,
      EVERY_KIND,
    );
    assert.equal(digest(reformatted), original);
    const stricter = brokenCopy(
      'quizzes/cuoi-khoa.yaml',
      (t) => t.replace('passPercent: 70', 'passPercent: 75'),
      EVERY_KIND,
    );
    assert.notEqual(digest(stricter), original);
    const newPicture = brokenCopy('course.yaml', (t) => t, EVERY_KIND);
    writeFileSync(join(newPicture, 'images/bia.png'), Buffer.from('another picture'));
    assert.notEqual(digest(newPicture), original);
  });

  it('refuses a final test whose draws need more questions than all the lessons have', () => {
    const folder = brokenCopy(
      'quizzes/cuoi-khoa.yaml',
      (t) => t.replace('count: 2\n    tags: [otp]', 'count: 3\n    tags: [otp]'),
      EVERY_KIND,
    );
    const { course, problems } = readCoursePackage(folder);
    assert.equal(course, null);
    assert.deepEqual(problems, [
      {
        file: join(folder, 'quizzes/cuoi-khoa.yaml'),
        line: 7,
        message: 'Quy tắc rút 3 câu (thẻ otp; mức Dễ) nhưng chỉ có 2 câu phù hợp.',
      },
    ]);
  });

  it('refuses a cover without alt text, a handout that is not a PDF and a low-bandwidth video that is not smaller', () => {
    const folder = brokenCopy(
      'course.yaml',
      (t) =>
        t
          .replace('coverAlt: Điện thoại hiện mã OTP bên cạnh một ổ khóa\n', '')
          .replace('files/huong-dan.pdf', 'files/gia.pdf'),
      EVERY_KIND,
    );
    writeFileSync(join(folder, 'files/gia.pdf'), 'Không phải PDF');
    writeFileSync(join(folder, 'videos/huong-dan-360p.mp4'), Buffer.alloc(1000));
    assert.deepEqual(
      readCoursePackage(folder).problems.map((p) => [p.line, p.message]),
      [
        [9, 'Ảnh bìa cần "coverAlt": mô tả ảnh cho người dùng trình đọc màn hình.'],
        [24, 'Bản "lowBandwidth" phải nhỏ hơn tệp video chính.'],
        [27, 'Tệp "files/gia.pdf" không phải là tệp PDF.'],
      ],
    );
    const withoutFile = brokenCopy(
      'course.yaml',
      (t) =>
        t
          .replace('          file: videos/huong-dan.mp4\n', '          url: https://example.org/otp\n')
          .replace('          captions: videos/huong-dan.vtt\n', ''),
      EVERY_KIND,
    );
    assert.deepEqual(
      readCoursePackage(withoutFile).problems.map((p) => [p.line, p.message]),
      [[25, '"lowBandwidth" chỉ dùng kèm "file": đó là bản nhẹ hơn của chính video trong gói.']],
    );
  });

  it('reports a question image missing from the package at its line in the quiz', () => {
    const folder = brokenCopy(
      'quizzes/01-nhan-dien-ma-otp.yaml',
      (t) => t.replace('image: images/tin-nhan-otp.svg', 'image: images/khong-co.svg'),
      EVERY_KIND,
    );
    assert.deepEqual(readCoursePackage(folder).problems, [
      {
        file: join(folder, 'quizzes/01-nhan-dien-ma-otp.yaml'),
        line: 14,
        message: 'Không tìm thấy ảnh "images/khong-co.svg".',
      },
    ]);
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
