import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { isRole, type Role } from './access/actor.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import type { FileProblem } from './content/yamlSource.js';
import { createContext } from './context.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemo } from './demo/seedDemo.js';
import { AppError } from './errors.js';
import {
  describeChanges,
  describeProblem,
  importQuestionFile,
  isQuestionFormat,
  type QuestionFormat,
} from './modules/assessment/importQuestions.js';
import { importCourse } from './modules/catalog/importCourse.js';
import { readPackages } from './modules/catalog/packageArchive.js';
import { describeImport } from './modules/community/teamImport.js';
import { writeRejectedTeams } from './modules/community/teamRejected.js';
import { isBlock } from './modules/identity/blocks.js';
import { describeCounts, describeProblems, importRoster } from './modules/identity/rosterImport.js';
import { writeRejectedRows } from './modules/identity/rosterRejected.js';
import { importUnits } from './modules/org/importUnits.js';
import { applyMergeCommand, OFFICIAL_UNITS_2025 } from './modules/org/mergeCommand.js';
import { type JobRun, runDueJobs, startScheduler } from './modules/programs/scheduler.js';
import { parseSynthOptions } from './modules/reports/synth/command.js';
import { synthTenant } from './modules/reports/synth/synth.js';
import type { AppContext } from './web/context.js';

const HELP = `hocvuso – nền tảng "Bình dân học vụ số"

Cách dùng: hocvuso <lệnh> [tùy chọn]

Lệnh:
  serve                              Chạy máy chủ web (tự cập nhật CSDL; lần đầu ngoài production tạo dữ liệu demo)
  migrate                            Cập nhật cấu trúc cơ sở dữ liệu lên phiên bản mới nhất
  seed --demo                        Tạo đơn vị chủ quản demo Tỉnh Quảng Nam và các tài khoản demo
  tenant create SLUG --name TÊN --root-type LOẠI --root-name TÊN [--root-code MÃ]
                                     Tạo đơn vị chủ quản (tỉnh) cùng đơn vị gốc của cây tổ chức
  import units FILE.csv --tenant SLUG
                                     Nhập danh sách đơn vị (chạy lại không thay đổi gì; tệp lỗi bị từ chối cả tệp)
  import people FILE.xlsx|csv [--tenant SLUG] [--rejected LỖI.xlsx]
                                     Nhập danh sách cán bộ từ tệp nhân sự (có lỗi thì từ chối cả tệp,
                                     --rejected ghi các dòng lỗi kèm cột "Lỗi"; nhập lại không thay đổi gì)
  import teams FILE.xlsx|csv [--tenant SLUG] [--rejected LỖI.xlsx]
                                     Tạo các tổ công nghệ số cộng đồng từ tệp (mỗi dòng một tổ: Mã đơn vị, Thôn, tổ
                                     dân phố (nếu thôn không có mã), Tên tổ, SĐT tổ trưởng, SĐT thành viên, Liên hệ);
                                     có dòng lỗi thì từ chối cả tệp (docs/import-teams.md)
  org apply-merge FILE.csv --effective NGÀY [--tenant SLUG] [--units DANH_MỤC.csv] [--parent MÃ] [--dry-run]
                                     Sáp nhập đơn vị theo tệp ghép mã cũ → mã mới (old_code,new_code), từ NGÀY
                                     (NNNN-TT-NN), trong một giao dịch; đơn vị mới lấy tên từ danh mục (mặc định:
                                     danh mục xã, phường 2025); --dry-run chỉ in những gì sẽ thay đổi
  user create --tenant SLUG --name TÊN (--phone SĐT | --email EMAIL) --unit MÃ [--block KHỐI] [--role VAI_TRÒ]
                                     Tạo tài khoản (mật khẩu ngẫu nhiên được in ra một lần)
  content check PATH                 Kiểm tra gói khóa học (một thư mục khóa học, hoặc thư mục chứa nhiều khóa)
  content import PATH [--tenant SLUG]
                                     Nhập gói khóa học, thư mục hoặc tệp .zip (có lỗi thì từ chối tất cả;
                                     gói đã thay đổi được xuất bản thành phiên bản mới)
  import questions FILE --bank TÊN [--tenant SLUG] [--format xlsx|gift|aiken]
                                     Nhập câu hỏi vào ngân hàng từ Excel, GIFT hoặc Aiken (có lỗi thì
                                     từ chối cả tệp, liệt kê từng dòng; nhập lại không tạo câu trùng)
  certificate revoke MÃ --reason LÝ_DO
                                     Thu hồi giấy chứng nhận (trang kiểm tra sẽ ghi "đã bị thu hồi")
  scheduler [--once]                 Chạy các việc định kỳ (nhắc hạn học, xác nhận hết hạn, xét lại quy tắc
                                     giao học, báo cáo theo lịch); --once: chạy một lần các việc đến hạn rồi dừng. "serve" cũng
                                     tự chạy; nhiều tiến trình cùng chạy thì mỗi việc vẫn chỉ chạy một lần
  synth --tenant SLUG --people N [--seed S] [--until NGÀY] [--months M]
                                     Tạo dữ liệu tổng hợp để đo hiệu năng, trình diễn: cây đơn vị Quảng Nam,
                                     N người (tài khoản demo), khóa học, giao học và sự kiện học tập của M tháng
                                     (mặc định 6) trước NGÀY (mặc định hôm nay); cùng S và N là cùng dữ liệu
  stats rebuild [--tenant SLUG]      Tính lại toàn bộ số liệu thống kê theo đơn vị từ các sự kiện học tập, danh
                                     sách người, việc được giao và xác nhận đạt yêu cầu (kết quả phải trùng với
                                     số liệu đang được cập nhật liên tục)
  help                               In hướng dẫn này

Cấu hình bằng biến môi trường: xem README.md (DATABASE_URL, PORT, HOST, NODE_ENV, HOCVUSO_SECRET…).
`;

const print = (line: string) => process.stdout.write(`${line}\n`);

/** How often a process looks for due jobs (each job keeps its own schedule). */
const SCHEDULER_TICK_MS = 60_000;
const describeRun = (run: JobRun) => `${run.name}: ${run.result}`;

async function withContext<T>(config: Config, run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const db = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(db);
    return await run(createContext(config, db));
  } finally {
    await db.close();
  }
}

async function requireTenant(ctx: AppContext, slug: string | undefined) {
  if (!slug) throw new UsageError('Thiếu --tenant SLUG.');
  const tenant = await ctx.org.tenantBySlug(slug);
  if (!tenant) throw new UsageError(`Không có đơn vị chủ quản "${slug}".`);
  return tenant;
}

class UsageError extends Error {}

const OUTCOME_LABELS = { created: 'đã tạo', updated: 'đã cập nhật nội dung', unchanged: 'không thay đổi' };

/** Prints every problem as `file:line: message`; true when there were none. */
function reportProblems(path: string, problems: FileProblem[]): boolean {
  if (problems.length === 0) return true;
  print(`${path} bị từ chối, không có gì được nhập. ${problems.length} lỗi:`);
  for (const p of problems) print(`  ${p.file}:${p.line}: ${p.message}`);
  return false;
}

async function serve(config: Config): Promise<void> {
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const ctx = createContext(config, db);
  if (config.production) {
    if (await ctx.identity.hasDemoAccounts()) {
      await db.close();
      throw new UsageError(
        'Cơ sở dữ liệu có tài khoản demo (mật khẩu công khai). Không chạy ở chế độ production với dữ liệu demo.',
      );
    }
  } else if ((await ctx.org.listTenants()).length === 0) {
    await seedDemo(ctx);
  }
  const tenants = await ctx.org.listTenants();
  for (const id of await ctx.stats.rebuildMissing(tenants.map((t) => t.id)))
    print(`Đã tính số liệu thống kê lần đầu cho ${tenants.find((t) => t.id === id)?.name}.`);
  // Loaded only to serve: the other commands need none of the web app.
  const { buildApp } = await import('./server.js');
  const app = await buildApp(ctx);
  const stopScheduler = startScheduler(ctx, {
    intervalMs: SCHEDULER_TICK_MS,
    log: (run) => (run.ok ? app.log.info(describeRun(run)) : app.log.error(describeRun(run))),
  });
  const stop = async () => {
    await stopScheduler();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ host: config.host, port: config.port });
  const shownHost = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  print(`hocvuso đang chạy tại http://${shownHost}:${config.port}`);
  print(`Cơ sở dữ liệu: ${db.dialect}${db.dialect === 'sqlite' ? ` (${config.databaseUrl})` : ''}`);
  if (!config.production) print('Tài khoản demo: xem README.md, mục "Tài khoản demo".');
}

async function createUser(
  ctx: AppContext,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  const tenant = await requireTenant(ctx, values.tenant as string | undefined);
  const unitCode = values.unit as string | undefined;
  const unit = unitCode ? await ctx.org.currentUnitByCode(tenant.id, unitCode) : undefined;
  if (!unit) throw new UsageError(`Không tìm thấy đơn vị có mã "${unitCode ?? ''}" (--unit).`);
  const role = values.role as string | undefined;
  if (role && (!isRole(role) || role === 'learner')) throw new UsageError(`Vai trò "${role}" không hợp lệ.`);
  const block = (values.block as string | undefined) ?? 'official';
  if (!isBlock(block)) throw new UsageError(`Khối "${block}" không hợp lệ.`);
  const password = randomBytes(9).toString('base64url');
  const scope = role === 'unitManager' ? unit.id : null;
  await ctx.identity.createAccount(tenant.id, {
    fullName: values.name as string | undefined,
    phone: values.phone as string | undefined,
    email: values.email as string | undefined,
    block,
    homeUnitId: unit.id,
    password,
    roles: role ? [{ role: role as Role, unitId: scope }] : [],
  });
  print(`Đã tạo tài khoản ${values.name}. Mật khẩu tạm thời (chỉ in một lần): ${password}`);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      demo: { type: 'boolean' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      email: { type: 'string' },
      unit: { type: 'string' },
      block: { type: 'string' },
      role: { type: 'string' },
      reason: { type: 'string' },
      bank: { type: 'string' },
      format: { type: 'string' },
      rejected: { type: 'string' },
      effective: { type: 'string' },
      units: { type: 'string' },
      parent: { type: 'string' },
      'dry-run': { type: 'boolean' },
      once: { type: 'boolean' },
      'root-type': { type: 'string' },
      'root-name': { type: 'string' },
      'root-code': { type: 'string' },
      people: { type: 'string' },
      seed: { type: 'string' },
      until: { type: 'string' },
      months: { type: 'string' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command || command === 'help') {
    print(HELP);
    return 0;
  }
  const config = loadConfig();
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate':
      return withContext(config, async (ctx) => {
        print(`Cơ sở dữ liệu ${ctx.db.dialect}: đã cập nhật.`);
        return 0;
      });
    case 'seed':
      if (!values.demo) throw new UsageError('Hiện chỉ có "seed --demo".');
      if (config.production) throw new UsageError('Không tạo dữ liệu demo khi NODE_ENV=production.');
      return withContext(config, async (ctx) => {
        const result = await seedDemo(ctx);
        print(result === 'created' ? 'Đã tạo dữ liệu demo.' : 'Dữ liệu demo đã có sẵn; không thay đổi gì.');
        return 0;
      });
    case 'tenant create':
      return withContext(config, async (ctx) => {
        if (!arg || !values.name || !values['root-type'] || !values['root-name']) {
          throw new UsageError(
            'Cần: tenant create SLUG --name TÊN --root-type LOẠI --root-name TÊN [--root-code MÃ]',
          );
        }
        const tenant = await ctx.org.createTenant({
          slug: arg,
          name: values.name,
          root: {
            kind: 'province',
            typeLabel: values['root-type'],
            name: values['root-name'],
            code: values['root-code'] ?? null,
          },
        });
        print(`Đã tạo đơn vị chủ quản ${tenant.name} (${tenant.slug}).`);
        return 0;
      });
    case 'import units':
      return withContext(config, async (ctx) => {
        if (!arg) throw new UsageError('Cần: import units FILE.csv --tenant SLUG');
        const tenant = await requireTenant(ctx, values.tenant);
        const report = await importUnits(ctx.db, tenant.id, readFileSync(arg, 'utf8'));
        if (!report.ok) {
          print(`Tệp ${arg} bị từ chối, không có thay đổi nào. ${report.errors.length} lỗi:`);
          for (const e of report.errors) print(`  Dòng ${e.line}: ${e.message}`);
          return 1;
        }
        await ctx.stats.treeChanged(tenant.id);
        print(
          `Đã nhập ${arg}: ${report.created} mới, ${report.updated} cập nhật, ${report.unchanged} không đổi.`,
        );
        return 0;
      });
    case 'import questions':
      return withContext(config, async (ctx) => {
        const bank = values.bank?.trim();
        if (!arg || !bank) {
          throw new UsageError(
            'Cần: import questions FILE --bank TÊN [--tenant SLUG] [--format xlsx|gift|aiken]',
          );
        }
        if (values.format && !isQuestionFormat(values.format)) {
          throw new UsageError(`Định dạng "${values.format}" không hợp lệ: dùng xlsx, gift hoặc aiken.`);
        }
        const tenant = await requireTenant(ctx, values.tenant ?? config.defaultTenant);
        print(`Đang đọc ${arg}…`);
        const outcome = await importQuestionFile(
          ctx,
          tenant.id,
          bank,
          basename(arg),
          readFileSync(arg),
          values.format as QuestionFormat | undefined,
        );
        if (!outcome.ok) {
          print(`Tệp ${arg} bị từ chối, chưa nhập câu nào. ${outcome.problems.length} lỗi:`);
          for (const problem of outcome.problems) print(`  ${describeProblem(problem)}`);
          return 1;
        }
        print(`Đã nhập vào ngân hàng "${bank}" của ${tenant.name}: ${describeChanges(outcome.counts)}.`);
        return 0;
      });
    case 'import people':
      return withContext(config, async (ctx) => {
        if (!arg)
          throw new UsageError('Cần: import people FILE.xlsx|csv [--tenant SLUG] [--rejected LỖI.xlsx]');
        const tenant = await requireTenant(ctx, values.tenant ?? config.defaultTenant);
        print(`Đang đọc ${arg}…`);
        // The CLI acts as the system: it may enrol people in any unit of the tenant.
        const result = await importRoster(ctx, tenant.id, null, arg);
        if (!result.ok) {
          print(`Tệp ${arg} bị từ chối, không có thay đổi nào. ${result.problems.length} dòng có lỗi:`);
          for (const problem of result.problems) print(`  ${describeProblems(problem)}`);
          if (values.rejected && (await writeRejectedRows(arg, result.problems, values.rejected))) {
            print(`Đã ghi các dòng bị từ chối kèm cột "Lỗi" vào ${values.rejected}.`);
          }
          return 1;
        }
        print(`Đã nhập danh sách vào ${tenant.name}: ${describeCounts(result.counts)}.`);
        return 0;
      });
    case 'import teams':
      return withContext(config, async (ctx) => {
        if (!arg)
          throw new UsageError('Cần: import teams FILE.xlsx|csv [--tenant SLUG] [--rejected LỖI.xlsx]');
        const tenant = await requireTenant(ctx, values.tenant ?? config.defaultTenant);
        print(`Đang đọc và kiểm tra ${arg}…`);
        // The CLI acts as the system: it may create teams in any unit of the tenant.
        const result = await ctx.community.importTeams(tenant.id, null, arg, basename(arg));
        if (!result.ok) {
          print(`Tệp ${arg} bị từ chối, chưa tổ nào được tạo. ${result.problems.length} dòng có lỗi:`);
          for (const problem of result.problems) print(`  ${describeProblems(problem)}`);
          if (values.rejected && (await writeRejectedTeams(arg, result.problems, values.rejected))) {
            print(`Đã ghi các dòng bị từ chối kèm cột "Lỗi" vào ${values.rejected}.`);
          }
          return 1;
        }
        print(`Đã tạo trong ${tenant.name}: ${describeImport(result)}.`);
        return 0;
      });
    case 'content check': {
      if (!arg) throw new UsageError('Cần: content check PATH');
      const { courses, problems } = readPackages(arg);
      if (!reportProblems(arg, problems)) return 1;
      print(`${arg}: ${courses.length} khóa học hợp lệ (${courses.map((c) => c.slug).join(', ')}).`);
      return 0;
    }
    case 'content import':
      return withContext(config, async (ctx) => {
        if (!arg) throw new UsageError('Cần: content import PATH [--tenant SLUG]');
        const tenant = await requireTenant(ctx, values.tenant ?? config.defaultTenant);
        const { courses, problems } = readPackages(arg);
        if (!reportProblems(arg, problems)) return 1;
        for (const course of courses) {
          const { outcome } = await importCourse(ctx, tenant.id, course);
          print(`  ${course.slug}: ${OUTCOME_LABELS[outcome]}`);
        }
        print(`Đã nhập ${courses.length} khóa học vào ${tenant.name}.`);
        return 0;
      });
    case 'certificate revoke':
      return withContext(config, async (ctx) => {
        const reason = values.reason?.trim();
        if (!arg || !reason) throw new UsageError('Cần: certificate revoke MÃ --reason LÝ_DO');
        if (!(await ctx.learning.revokeCertificate(arg, reason))) {
          throw new UsageError(`Không có giấy chứng nhận số "${arg}".`);
        }
        print(`Đã thu hồi giấy chứng nhận ${arg.toUpperCase()} (lý do: ${reason}).`);
        return 0;
      });
    case 'org apply-merge':
      return withContext(config, async (ctx) => {
        if (!arg || !values.effective) {
          throw new UsageError(
            'Cần: org apply-merge FILE.csv --effective NNNN-TT-NN [--tenant SLUG] [--dry-run]',
          );
        }
        const tenant = await requireTenant(ctx, values.tenant ?? config.defaultTenant);
        return applyMergeCommand(
          ctx,
          tenant,
          {
            mappingFile: arg,
            effectiveOn: values.effective,
            unitsFile: values.units ?? OFFICIAL_UNITS_2025,
            parentCode: values.parent,
            dryRun: values['dry-run'] === true,
          },
          print,
        );
      });
    case 'stats rebuild':
      return withContext(config, async (ctx) => {
        const tenant = await requireTenant(ctx, values.tenant ?? config.defaultTenant);
        const started = Date.now();
        let reported = 0;
        await ctx.stats.rebuild(tenant.id, (done, total) => {
          // About every 5%: enough to see it move on a province without flooding the terminal.
          if (done === reported || (done < total && done - reported < total / 20)) return;
          reported = done;
          print(`  ${done.toLocaleString('vi-VN')}/${total.toLocaleString('vi-VN')} người…`);
          if (done === total) print('  lập chỉ mục và cộng số liệu theo đơn vị…');
        });
        print(
          `Đã tính lại số liệu thống kê của ${tenant.name} trong ${((Date.now() - started) / 1000).toFixed(1)} giây.`,
        );
        return 0;
      });
    case 'scheduler':
      return withContext(config, async (ctx) => {
        if (values.once) {
          const runs = await runDueJobs(ctx);
          if (runs.length === 0) print('Không có việc nào đến hạn.');
          for (const run of runs) print(describeRun(run));
          return runs.every((run) => run.ok) ? 0 : 1;
        }
        await new Promise<void>((resolve) => {
          const stop = startScheduler(ctx, {
            intervalMs: SCHEDULER_TICK_MS,
            log: (run) => print(describeRun(run)),
          });
          const end = () => void stop().then(resolve);
          process.once('SIGINT', end);
          process.once('SIGTERM', end);
        });
        return 0;
      });
    case 'user create':
      return withContext(config, async (ctx) => {
        await createUser(ctx, values);
        return 0;
      });
    case 'synth': {
      const parsed = parseSynthOptions(values);
      if ('error' in parsed) throw new UsageError(parsed.error);
      if (config.production) throw new UsageError('Không tạo dữ liệu tổng hợp khi NODE_ENV=production.');
      return withContext(config, async (ctx) => {
        await synthTenant(ctx, parsed.options, print);
        return 0;
      });
    }
    default:
      throw new UsageError(`Lệnh không rõ: "${positionals.join(' ')}". Xem: hocvuso --help`);
  }
}

/** Runs the CLI; errors meant for the user are printed plainly, with exit code 1 (2 for bad usage). */
export async function run(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`Lỗi: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof AppError) {
      process.stderr.write(`Lỗi: ${error.message}\n`);
      for (const [field, message] of Object.entries(error.fields))
        process.stderr.write(`  ${field}: ${message}\n`);
      process.exitCode = 1;
    } else if (
      error instanceof TypeError &&
      ['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'].includes(
        (error as { code?: string }).code ?? '',
      )
    ) {
      // Node's own words name the option; a value starting with "-" needs the --option=value form.
      process.stderr.write(`Lỗi: tùy chọn không hợp lệ (${error.message}). Xem "hocvuso --help".\n`);
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}
