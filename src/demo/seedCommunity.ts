import { todayInVietnam } from '../db/time.js';
import type { Unit } from '../modules/org/service.js';
import { addDays } from '../modules/programs/days.js';
import type { AppContext } from '../web/context.js';

const GUIDES_PROGRAM = 'Bồi dưỡng Tổ công nghệ số cộng đồng';
const GUIDES_DUE_DAYS = 30;

/**
 * What the article asks of villages: a community digital technology team in Thôn 2 of Xã Đại
 * Hiệp, led by the demo community member, whose members qualify as guides by finishing the
 * community program (public services and VNeID, scams); and an in-person class next week in
 * Thôn 1 run by the demo instructor, with one citizen registered.
 */
export async function seedCommunityAndClasses(
  ctx: AppContext,
  tenantId: string,
  courseIds: Map<string, string>,
  byKey: Map<string, Unit>,
): Promise<string[]> {
  const person = async (phone: string) => {
    const account = await ctx.identity.accountByIdentifier(tenantId, phone);
    if (!account) throw new Error(`demo community: no demo account ${phone}`);
    return account;
  };
  const course = (slug: string) => {
    const id = courseIds.get(slug);
    if (!id) throw new Error(`demo community: no course ${slug}`);
    return id;
  };
  const place = (key: string) => {
    const unit = byKey.get(key);
    if (!unit) throw new Error(`demo community: no unit ${key}`);
    return unit;
  };
  const admin = await ctx.identity.actorOf(await person('0900000002'));
  const program = await ctx.programs.createProgram(tenantId, {
    name: GUIDES_PROGRAM,
    description:
      'Thành viên Tổ công nghệ số cộng đồng hoàn thành cả hai khóa để được công nhận hướng dẫn viên.',
    targetBlock: 'community',
    validityMonths: 24,
    courses: [
      { courseId: course('dich-vu-cong-va-vneid'), role: 'required' },
      { courseId: course('phong-tranh-lua-dao'), role: 'required' },
    ],
  });
  await ctx.programs.createRule(admin, tenantId, {
    programId: program.id,
    unitId: place('49').id,
    blocks: ['community'],
    dueDays: GUIDES_DUE_DAYS,
  });

  const leader = await person('0900000008');
  const team = await ctx.community.createTeam(admin, {
    unitId: place('20524/Thôn 2').id,
    name: 'Tổ công nghệ số cộng đồng Thôn 2',
    leaderPhone: leader.phone ?? '',
    contactPhone: leader.phone ?? '',
    contactNote: 'Sinh hoạt tại nhà văn hóa Thôn 2 tối thứ Bảy hằng tuần.',
  });
  await ctx.community.addMember(admin, await ctx.community.team(tenantId, team.id), '0900000007');

  const instructor = await ctx.identity.actorOf(await person('0900000010'));
  const session = await ctx.classes.createSession(instructor, {
    unitId: place('20524/Thôn 1').id,
    courseId: course('dich-vu-cong-va-vneid'),
    place: 'Nhà văn hóa Thôn 1',
    day: addDays(todayInVietnam(), 7),
    time: '08:00',
    durationMinutes: '90',
    capacity: '30',
    audienceNote: 'Người cao tuổi và người dân chưa kích hoạt VNeID; mang theo điện thoại và CCCD.',
  });
  await ctx.classes.register(await ctx.identity.actorOf(await person('0900000007')), session.id);
  return [
    `chương trình "${GUIDES_PROGRAM}", giao cho khối cộng đồng toàn tỉnh (hạn ${GUIDES_DUE_DAYS} ngày)`,
    `tổ công nghệ số Thôn 2 – Xã Đại Hiệp (tổ trưởng ${leader.fullName}) và một lớp học trực tiếp tuần sau ở Thôn 1`,
  ];
}
