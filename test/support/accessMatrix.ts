import type { RouteAccess } from '../../src/web/requestState.js';

/**
 * The access-control matrix: for every registered route, who may reach it. The test in
 * test/accessMatrix.test.ts sends each route a request as each actor and compares what happens
 * with this table, so a route added without a rule here, or a route whose handler stops asking
 * its module policy, fails the build.
 */

/** Who knocks. The unit managers and the learner live in the fixture's communes (see the test). */
export const ACTORS = [
  'anonymous',
  /** A citizen of villageA (in communeA), with no role: owns the quiz attempt and the certificate. */
  'learner',
  /** Unit manager over communeA, where the target member and unit are. */
  'unitManager (own)',
  /** Unit manager over communeB, aiming at the same communeA objects. */
  'unitManager (other)',
  'contentManager',
  'evaluator',
  'tenantAdmin',
  /** A content manager and tenant admin of a second tenant, using its session on this tenant's host. */
  'other tenant',
  /** The same account on its own tenant's host, aiming at this tenant's object ids. */
  'other tenant, own host',
] as const;
export type ActorName = (typeof ACTORS)[number];

/** Actors without a session of this tenant: sessions are bound to the tenant that issued them. */
export const OUTSIDERS: readonly ActorName[] = ['anonymous', 'other tenant'];
const MEMBERS = ACTORS.filter((a) => !OUTSIDERS.includes(a));
/** The roles the other tenant's account holds in its own tenant. */
const OTHER_TENANT_ROLES: readonly ActorName[] = ['contentManager', 'tenantAdmin'];

/**
 * What an actor gets: `allowed` (the handler ran past the policy: 2xx, a redirect other than
 * to the log-in page, or a 400/409/422 refusal of the input), `signIn` (401, or 303 to
 * /dang-nhap), `forbidden` (403), `notFound` (404: someone else's object does not exist for you).
 */
export type Outcome = 'allowed' | 'signIn' | 'forbidden' | 'notFound';

/** Values the table can ask the test to put in a request body. */
export interface BodyValues {
  /** A lesson of the published mini course. */
  lessonId: string;
  /** An account of this tenant no actor uses, and the test password. */
  spareIdentifier: string;
  password: string;
  /** A string no other request used (learning event ids are stored once). */
  unique: string;
  /** communeA, where the fixture's team and class are. */
  unitId: string;
}

export interface Rule {
  /** The gate the route must declare in `config.access`. */
  access: RouteAccess;
  /** The actors the module policy lets through. */
  allowed: readonly ActorName[];
  /** How the policy refuses the signed-in members of the tenant who are not allowed. */
  refusal: 'forbidden' | 'notFound';
  /** Why: the policy rule, in words. */
  why: string;
  /** Query string to add (a required parameter, so the schema does not refuse first). */
  query?: string;
  /** Request body (form fields, or JSON under /api/); the CSRF token is added by the test. */
  body?: (v: BodyValues) => Record<string, unknown>;
  /**
   * `session`: the request ends the session, so each actor sends it with a new one.
   * `course`: the request publishes, archives, discards or deletes, so each actor aims at a
   * new course. `attempt`: each actor aims at the learner's open attempt (started if needed).
   * `grant`: the request revokes a role, so each actor aims at a new grant over communeA.
   * `team`: the request deletes a team, a member or a logged entry, so each actor aims at a new
   * team (led by the learner, with a second member and one entry the learner logged).
   */
  fresh?: 'session' | 'course' | 'attempt' | 'grant' | 'team';
  /**
   * What the other tenant's account gets on its own host with this tenant's ids, when it is not
   * the default: what its roles get there, and 404 once the URL names an object of this tenant.
   */
  otherHost?: Outcome;
}

const rule = (
  access: RouteAccess,
  allowed: readonly ActorName[],
  why: string,
  refusal: Rule['refusal'] = 'forbidden',
): Rule => ({ access, allowed, why, refusal });

export const PUBLIC = rule('public', ACTORS, 'anyone, signed in or not');
export const SIGNED_IN = rule('signedIn', MEMBERS, 'any account of the tenant');
/** catalogPolicy course.author, assessmentPolicy bank.manage and quiz.analyse. */
export const CONTENT_MANAGER = rule('signedIn', ['contentManager'], 'content managers of the tenant only');
/** assessmentPolicy attempt.take: anyone else's attempt does not exist for them. */
export const ATTEMPT_OWNER = rule(
  'signedIn',
  ['learner'],
  'only the learner whose attempt it is',
  'notFound',
);
/** identityPolicy member.read / member.list, aimed at a member and unit of communeA. */
export const MEMBER_READER = rule(
  'signedIn',
  ['unitManager (own)', 'evaluator', 'tenantAdmin'],
  'managers of the unit, evaluators, tenant admins (not content managers)',
);
/** learningPolicy certificate.download. */
export const CERTIFICATE_READER = rule(
  'signedIn',
  ['learner', 'tenantAdmin'],
  'the holder of the certificate, or a tenant admin',
);

/** reportsPolicy report.read over communeA: tenant-wide overseers and its unit manager. */
export const REPORT_READER = rule(
  'signedIn',
  ['unitManager (own)', 'evaluator', 'tenantAdmin'],
  'evaluators, tenant admins, and unit managers over the unit',
);
/** The reports home redirects anyone who oversees some unit to it. */
export const REPORT_STARTER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'evaluator', 'tenantAdmin'],
  'evaluators, tenant admins and unit managers of any unit',
);

/** reportsPolicy target.manage: the tenant's admins set targets; evaluators only measure against them. */
export const TARGET_SETTER = rule('signedIn', ['tenantAdmin'], 'tenant admins only');

/** programsPolicy program.read: whoever manages, assigns or oversees, anywhere in the tenant. */
export const PROGRAM_READER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'contentManager', 'evaluator', 'tenantAdmin'],
  'unit managers, content managers, evaluators and tenant admins',
);
/** programsPolicy program.manage: the tenant's admins and content managers make programs. */
export const PROGRAM_MAKER = rule(
  'signedIn',
  ['contentManager', 'tenantAdmin'],
  'content managers and tenant admins',
);
/** programsPolicy rule.create over some unit: who may assign (the unit is checked after). */
export const ASSIGNER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'tenantAdmin'],
  'tenant admins and unit managers (the unit is checked after)',
);
/** programsPolicy rule.read over communeA's rule: its managers and tenant-wide overseers. */
export const RULE_READER = rule(
  'signedIn',
  ['unitManager (own)', 'evaluator', 'tenantAdmin'],
  'evaluators, tenant admins, and unit managers over the rule’s unit',
);
/** programsPolicy assignment.exempt over communeA's rule: who assigns there (evaluators only look). */
export const EXEMPTER = rule(
  'signedIn',
  ['unitManager (own)', 'tenantAdmin'],
  'tenant admins, and unit managers over the rule’s unit',
);

/** auditPolicy audit.read: tenant-wide overseers; a grant over one unit does not reach the log. */
export const AUDIT_READER = rule('signedIn', ['evaluator', 'tenantAdmin'], 'tenant admins and evaluators');
/** orgPolicy unit.manage, aimed at communeA: tenant admins, and unit managers within their subtree. */
export const UNIT_MANAGER = rule(
  'signedIn',
  ['unitManager (own)', 'tenantAdmin'],
  'tenant admins, and unit managers over the unit',
);
/** orgPolicy unit.manage over communeA's parent (the district): tenant admins only, here. */
export const PARENT_MANAGER = rule(
  'signedIn',
  ['tenantAdmin'],
  'tenant admins, and unit managers over the parent',
);
/** The unit search page: anyone who manages some unit (it lists only what they may manage). */
export const ANY_UNIT_MANAGER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'tenantAdmin'],
  'tenant admins and unit managers of any unit',
);

/**
 * The roster import pages: anyone who may import into some unit (identityPolicy roster.import over
 * one of their grants); each row's unit is checked again when the file is read.
 */
export const ROSTER_IMPORTER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'tenantAdmin'],
  'tenant admins and unit managers (rows are checked unit by unit)',
);

/** identityPolicy role.view: who holds which role, within the viewer's scope. */
export const ROLE_VIEWER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'evaluator', 'tenantAdmin'],
  'unit managers (their subtree), evaluators and tenant admins',
);
/** Granting: tenant admins, and unit managers within their subtree (the form is checked after). */
export const ROLE_GRANTER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'tenantAdmin'],
  'tenant admins and unit managers (the scope and person are checked after)',
);
/** identityPolicy role.change over a grant in communeA: its unit manager and tenant admins. */
export const ROLE_REVOKER = rule(
  'signedIn',
  ['unitManager (own)', 'tenantAdmin'],
  'tenant admins, and unit managers over the grant’s scope',
);

/** offeringPolicy offering.read: tenant-wide overseers and the unit managers of the tenant. */
export const OFFERING_READER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'evaluator', 'tenantAdmin'],
  'tenant admins, evaluators and unit managers of any unit',
);
/** offeringPolicy offering.manage: creating offerings and sharing out their seats. */
export const OFFERING_MANAGER = rule('signedIn', ['tenantAdmin'], 'tenant admins only');
/** offeringPolicy offering.nominate over the fixture offering's quota, which is communeA's. */
export const OFFERING_NOMINATOR = rule(
  'signedIn',
  ['unitManager (own)', 'tenantAdmin'],
  'tenant admins, and unit managers over the quota’s unit',
);

/** classPolicy class.run over the fixture session (communeA's villageA, run by its unit manager). */
export const CLASS_RUNNER = rule(
  'signedIn',
  ['unitManager (own)', 'tenantAdmin'],
  'the session’s instructor, tenant admins, and unit managers or instructors over its unit',
);
/** classPolicy class.read: who runs the session, and tenant-wide evaluators. */
export const CLASS_READER = rule(
  'signedIn',
  ['unitManager (own)', 'evaluator', 'tenantAdmin'],
  'who runs the session, and evaluators',
);
/** classPolicy class.schedule somewhere: instructors, unit managers and tenant admins (the unit is checked after). */
export const CLASS_SCHEDULER = rule(
  'signedIn',
  ['unitManager (own)', 'unitManager (other)', 'tenantAdmin'],
  'tenant admins, unit managers and instructors (the unit is checked after)',
);

const withRequest = (base: Rule, extra: Partial<Rule>): Rule => ({ ...base, ...extra });

/** communityPolicy team.read over communeA's team, whose leader and guide is the learner. */
export const TEAM_READER = rule(
  'signedIn',
  ['learner', 'unitManager (own)', 'evaluator', 'tenantAdmin'],
  'the team’s members, evaluators, tenant admins, and unit managers over its unit',
);
/** communityPolicy team.members (and the leader's contact edits): the leader and who manages the team. */
export const TEAM_LEADER = rule(
  'signedIn',
  ['learner', 'unitManager (own)', 'tenantAdmin'],
  'the team’s leader, tenant admins, and unit managers over its unit',
);
/** communityPolicy assistance.log: a member of the team holding a valid qualification (the learner). */
export const QUALIFIED_GUIDE = withRequest(
  rule('signedIn', ['learner'], 'a member of the team with a valid qualification'),
  { otherHost: 'notFound' },
);

/**
 * The expectations, keyed by `METHOD url-pattern` exactly as registered. A HEAD route that
 * Fastify adds for a GET route follows the GET route's rule.
 */
export const ACCESS_MATRIX: Record<string, Rule> = {
  // System routes: tenantless, for everyone.
  'GET /healthz': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /static/*': PUBLIC,
  // Stored files are content-addressed and shared by every tenant.
  'GET /tep/:name': withRequest(PUBLIC, { otherHost: 'allowed' }),
  'GET /favicon.ico': PUBLIC,
  'GET /': PUBLIC,

  // Org: unit.read is open to anyone (people pick their commune before having an account).
  'GET /api/units/search': withRequest(PUBLIC, { query: 'q=dai' }),
  'GET /api/units/:id': PUBLIC,
  'GET /api/units/:id/children': PUBLIC,

  // Identity.
  'POST /api/auth/signup': PUBLIC,
  // Log-in with this tenant's account: accounts are bound to their tenant, so not on another host.
  'POST /api/auth/login': withRequest(PUBLIC, {
    body: (v) => ({ identifier: v.spareIdentifier, password: v.password }),
    otherHost: 'signIn',
  }),
  'POST /api/auth/logout': withRequest(SIGNED_IN, { fresh: 'session' }),
  'GET /api/me': SIGNED_IN,
  'POST /api/me/password': SIGNED_IN,
  'GET /api/members/:id': MEMBER_READER,
  'GET /api/units/:id/members': MEMBER_READER,
  'GET /dang-ky': PUBLIC,
  'POST /dang-ky': PUBLIC,
  'GET /dang-nhap': PUBLIC,
  'POST /dang-nhap': withRequest(PUBLIC, {
    body: (v) => ({ identifier: v.spareIdentifier, password: v.password, next: '/' }),
    otherHost: 'signIn',
  }),
  'POST /dang-xuat': withRequest(PUBLIC, { fresh: 'session' }),
  'GET /ho-so': SIGNED_IN,
  'POST /ho-so/mat-khau': SIGNED_IN,

  // Unit administration: unit.manage over the unit in the URL (communeA).
  'GET /quan-tri/don-vi': ANY_UNIT_MANAGER,
  'GET /quan-tri/don-vi/:id': UNIT_MANAGER,
  'POST /quan-tri/don-vi/:id': UNIT_MANAGER,
  'POST /quan-tri/don-vi/:id/don-vi-con': UNIT_MANAGER,
  'GET /quan-tri/don-vi/:id/chuyen': UNIT_MANAGER,
  'POST /quan-tri/don-vi/:id/chuyen': UNIT_MANAGER,
  // Merging changes the parent's subtree: communeA's parent is the district, which no unit manager here holds.
  'GET /quan-tri/don-vi/:id/sap-nhap': PARENT_MANAGER,
  'POST /quan-tri/don-vi/:id/sap-nhap': PARENT_MANAGER,

  // Roster import (upload, preview, confirm, rejected rows): roster.import.
  'GET /quan-tri/danh-sach': ROSTER_IMPORTER,
  'POST /quan-tri/danh-sach/nhap': ROSTER_IMPORTER,
  'POST /quan-tri/danh-sach/nhap/xac-nhan': ROSTER_IMPORTER,
  'GET /quan-tri/danh-sach/loi/:name': ROSTER_IMPORTER,

  // Audit log: audit.read.
  'GET /quan-tri/nhat-ky': AUDIT_READER,
  'GET /quan-tri/nhat-ky.csv': AUDIT_READER,
  // Reports: each reader starts at the widest unit they oversee.
  'GET /bao-cao/don-vi': REPORT_STARTER,
  'GET /bao-cao/don-vi/:id': REPORT_READER,
  'GET /bao-cao/don-vi/:id/nguoi': MEMBER_READER,
  'GET /bao-cao/don-vi/:id/nguoi.xlsx': MEMBER_READER,
  'GET /bao-cao/don-vi/:id/nguoi.csv': MEMBER_READER,
  'GET /bao-cao/don-vi/:id/bao-cao.xlsx': REPORT_READER,
  'GET /bao-cao/don-vi/:id/bao-cao.csv': REPORT_READER,
  // The dashboard's charts (SVG) and its PDF summary, with the dashboard's readers.
  'GET /bao-cao/don-vi/:id/bieu-do/:chart': REPORT_READER,
  'GET /bao-cao/don-vi/:id/tom-tat.pdf': REPORT_READER,
  // The monitoring dashboard, the people behind each figure, and their downloads.
  'GET /bao-cao/don-vi/:id/tong-quan': REPORT_READER,
  'GET /bao-cao/don-vi/:id/tong-quan/don-vi-con.xlsx': REPORT_READER,
  'GET /bao-cao/don-vi/:id/tong-quan/don-vi-con.csv': REPORT_READER,
  'GET /bao-cao/don-vi/:id/danh-sach/:drill': REPORT_READER,
  'GET /bao-cao/don-vi/:id/danh-sach/:drill/danh-sach.xlsx': REPORT_READER,
  'GET /bao-cao/don-vi/:id/danh-sach/:drill/danh-sach.csv': REPORT_READER,
  // Targets: read by whoever reads reports anywhere; set and removed by tenant admins only.
  'GET /bao-cao/chi-tieu': REPORT_STARTER,
  'POST /bao-cao/chi-tieu': TARGET_SETTER,
  'GET /bao-cao/chi-tieu/:targetId/xoa': TARGET_SETTER,
  'POST /bao-cao/chi-tieu/:targetId/xoa': TARGET_SETTER,
  // Programs and assignment rules (mandatory training).
  'GET /quan-tri/chuong-trinh': PROGRAM_READER,
  'GET /quan-tri/chuong-trinh/moi': PROGRAM_MAKER,
  'POST /quan-tri/chuong-trinh/moi': PROGRAM_MAKER,
  'GET /chuong-trinh/:program': SIGNED_IN,
  'GET /quan-tri/giao-hoc': PROGRAM_READER,
  'GET /quan-tri/giao-hoc/moi': ASSIGNER,
  'POST /quan-tri/giao-hoc/moi': ASSIGNER,
  'GET /quan-tri/giao-hoc/:id': RULE_READER,
  // An empty reason is refused, so no actor's request changes anything.
  'POST /quan-tri/giao-hoc/:id/mien/:assignmentId': EXEMPTER,
  // A member of communeA's learning record; every look by someone else is audited.
  'GET /bao-cao/nguoi/:id': MEMBER_READER,
  // Scheduled reports (reports/schedulePolicy.ts). The list and the form: anyone who reads reports
  // somewhere; the unit chosen is checked with the form (an empty form is refused, 400).
  'GET /bao-cao/lich': REPORT_STARTER,
  'GET /bao-cao/lich/moi': REPORT_STARTER,
  'POST /bao-cao/lich/moi': REPORT_STARTER,
  // The fixture schedule, on communeA and made by the evaluator, with one stored run: read (with its
  // runs and files) by communeA's report readers; paused or removed by its creator and tenant admins
  // (an empty body is refused, 400, so nothing changes).
  'GET /bao-cao/lich/:id': REPORT_READER,
  'GET /bao-cao/lich/:id/ban-chup/:snapshotId': REPORT_READER,
  'GET /bao-cao/lich/:id/ban-chup/:snapshotId/bao-cao.xlsx': REPORT_READER,
  'GET /bao-cao/lich/:id/ban-chup/:snapshotId/tom-tat.pdf': REPORT_READER,
  'POST /bao-cao/lich/:id/tam-dung': rule(
    'signedIn',
    ['evaluator', 'tenantAdmin'],
    'its creator and tenant admins',
  ),
  'GET /bao-cao/lich/:id/xoa': rule(
    'signedIn',
    ['evaluator', 'tenantAdmin'],
    'its creator and tenant admins',
  ),
  'POST /bao-cao/lich/:id/xoa': rule(
    'signedIn',
    ['evaluator', 'tenantAdmin'],
    'its creator and tenant admins',
  ),
  // Integrity signals of communeA: read by its report's readers (integrityPolicy signal.read); marked
  // reviewed (signal.review) by the same three: an empty body is refused (400) past the policy.
  'GET /bao-cao/don-vi/:id/dau-hieu': REPORT_READER,
  'POST /bao-cao/don-vi/:id/dau-hieu/danh-dau': REPORT_READER,
  // The same record as a download: a personal-data export, audited for everyone (the holder too).
  'GET /bao-cao/nguoi/:id/ho-so.xlsx': MEMBER_READER,
  // The national roll-up: platform admins only, an actor this matrix does not have (see test/reports.test.ts).
  'GET /nen-tang': rule('signedIn', [], 'platform admins only'),
  'GET /quan-tri/vai-tro': ROLE_VIEWER,
  'POST /quan-tri/vai-tro': ROLE_GRANTER,
  'GET /quan-tri/vai-tro/:id/thu-hoi': ROLE_REVOKER,
  'POST /quan-tri/vai-tro/:id/thu-hoi': withRequest(ROLE_REVOKER, { fresh: 'grant' }),

  // Catalog: published courses and lessons are open to everyone; progress is one's own.
  'GET /api/courses': PUBLIC,
  'GET /api/courses/:slug': PUBLIC,
  'GET /khoa-hoc': PUBLIC,
  'GET /khoa-hoc/:course': PUBLIC,
  'GET /khoa-hoc/:course/tai-lieu.pdf': PUBLIC,
  'POST /khoa-hoc/:course/phien-ban-moi': SIGNED_IN,
  'GET /khoa-hoc/:course/:lesson': PUBLIC,
  'POST /khoa-hoc/:course/:lesson/da-doc': SIGNED_IN,

  // Authoring: course.author.
  'GET /soan-bai': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc': CONTENT_MANAGER,
  'GET /soan-bai/khoa-hoc/:id': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/ban-nhap': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/anh-bia': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/phan': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/phan/:moduleId': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/bai': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/thu-tu': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/kiem-tra-cuoi-khoa': withRequest(CONTENT_MANAGER, { fresh: 'course' }),
  'GET /soan-bai/khoa-hoc/:id/bai/:lessonId': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/bai/:lessonId': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/bai/:lessonId/vi-tri': CONTENT_MANAGER,
  'GET /soan-bai/khoa-hoc/:id/bai/:lessonId/xoa': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/bai/:lessonId/xoa': withRequest(CONTENT_MANAGER, { fresh: 'course' }),
  'POST /soan-bai/khoa-hoc/:id/bai/:lessonId/kiem-tra': withRequest(CONTENT_MANAGER, { fresh: 'course' }),
  'POST /soan-bai/khoa-hoc/:id/bai/:lessonId/tep': CONTENT_MANAGER,
  'GET /soan-bai/khoa-hoc/:id/xuat-ban': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/xuat-ban': withRequest(CONTENT_MANAGER, { fresh: 'course' }),
  'POST /soan-bai/khoa-hoc/:id/luu-tru': withRequest(CONTENT_MANAGER, { fresh: 'course' }),
  'GET /soan-bai/khoa-hoc/:id/bo-nhap': CONTENT_MANAGER,
  'POST /soan-bai/khoa-hoc/:id/bo-nhap': withRequest(CONTENT_MANAGER, { fresh: 'course' }),
  'GET /soan-bai/khoa-hoc/:id/goi.zip': CONTENT_MANAGER,
  'GET /soan-bai/khoa-hoc/:id/tai-lieu.pdf': CONTENT_MANAGER,
  'POST /api/authoring/preview': withRequest(CONTENT_MANAGER, { body: () => ({ markdown: '## Thử' }) }),
  'GET /soan-bai/khung-nang-luc': CONTENT_MANAGER,

  // Assessment: anyone of the tenant starts an attempt; only its owner sees or answers it.
  'POST /api/quizzes/:id/attempts': SIGNED_IN,
  'PUT /api/quiz-attempts/:id/answers': withRequest(ATTEMPT_OWNER, { body: () => ({ answers: {} }) }),
  'POST /api/quiz-attempts/:id/submission': withRequest(ATTEMPT_OWNER, {
    body: () => ({ answers: {} }),
    fresh: 'attempt',
  }),
  'GET /khoa-hoc/:course/:lesson/kiem-tra': SIGNED_IN,
  'POST /khoa-hoc/:course/:lesson/kiem-tra': SIGNED_IN,
  'GET /bai-lam/:id': ATTEMPT_OWNER,
  'POST /bai-lam/:id': withRequest(ATTEMPT_OWNER, { fresh: 'attempt' }),

  // Question banks (bank.manage) and item analysis (quiz.analyse).
  'GET /soan-bai/ngan-hang': CONTENT_MANAGER,
  'POST /soan-bai/ngan-hang': CONTENT_MANAGER,
  'GET /soan-bai/ngan-hang/mau-cau-hoi.xlsx': CONTENT_MANAGER,
  'POST /soan-bai/ngan-hang/nhap': CONTENT_MANAGER,
  'POST /soan-bai/ngan-hang/nhap/xac-nhan': CONTENT_MANAGER,
  'GET /soan-bai/ngan-hang/:bankId': CONTENT_MANAGER,
  'GET /soan-bai/ngan-hang/:bankId/tai-ve.xlsx': CONTENT_MANAGER,
  'GET /soan-bai/ngan-hang/:bankId/cau-hoi/moi': CONTENT_MANAGER,
  'POST /soan-bai/ngan-hang/:bankId/cau-hoi/moi': CONTENT_MANAGER,
  'GET /soan-bai/ngan-hang/:bankId/cau-hoi/:questionId': CONTENT_MANAGER,
  'POST /soan-bai/ngan-hang/:bankId/cau-hoi/:questionId': CONTENT_MANAGER,
  'GET /soan-bai/khoa-hoc/:id/phan-tich': CONTENT_MANAGER,

  // Learning: one's own progress; certificates for their holder and tenant admins; public verification.
  'POST /api/learning/events': withRequest(SIGNED_IN, {
    body: (v) => ({
      events: [
        {
          id: `su-kien-${v.unique}`,
          verb: 'completed',
          object: { type: 'lesson', id: v.lessonId },
          timestamp: new Date().toISOString(),
        },
      ],
    }),
  }),
  'GET /hoc-tap': SIGNED_IN,
  'GET /chung-nhan/:file': CERTIFICATE_READER,
  'GET /verify': PUBLIC,
  // Anyone holding the paper can check it, on any host: the page names the issuing tenant.
  'GET /verify/:code': withRequest(PUBLIC, { otherHost: 'allowed' }),

  // Personal-data rights: each concerns only the signed-in person's own data.
  'GET /ho-so/du-lieu': SIGNED_IN,
  'GET /ho-so/du-lieu.json': SIGNED_IN,
  'GET /ho-so/sua': SIGNED_IN,
  'POST /ho-so/sua': SIGNED_IN,
  'POST /ho-so/rut-dong-y': SIGNED_IN,
  'GET /ho-so/xoa-tai-khoan': SIGNED_IN,
  // A wrong password: the refusal (400) shows the policy let the actor through, and no actor is deleted.
  'POST /ho-so/xoa-tai-khoan': withRequest(SIGNED_IN, { body: () => ({ password: 'khong-phai-mat-khau' }) }),

  // Seat-limited offerings. An empty body is refused (400) once the policy let the actor through;
  // the first allowed actor withdraws the fixture nomination, the next ones are told it is gone (409).
  'GET /quan-tri/suat-hoc': OFFERING_READER,
  'GET /quan-tri/suat-hoc/moi': OFFERING_MANAGER,
  'POST /quan-tri/suat-hoc/moi': OFFERING_MANAGER,
  'GET /quan-tri/suat-hoc/:id': OFFERING_READER,
  'POST /quan-tri/suat-hoc/:id/chi-tieu': OFFERING_MANAGER,
  'POST /quan-tri/suat-hoc/:id/de-cu': OFFERING_NOMINATOR,
  'GET /quan-tri/suat-hoc/:id/rut/:nominationId': OFFERING_NOMINATOR,
  'POST /quan-tri/suat-hoc/:id/rut/:nominationId': OFFERING_NOMINATOR,

  // Qualifications: the certificate for its holder and tenant admins; the list and its exports
  // (qualificationPolicy qualification.export) for tenant-wide overseers and, filtered to their
  // subtree, unit managers; revoking for tenant admins (an empty reason is refused, nothing revoked).
  'GET /chung-nhan-dat-yeu-cau/:qualification.pdf': CERTIFICATE_READER,
  'GET /quan-tri/dat-yeu-cau': REPORT_STARTER,
  'GET /quan-tri/dat-yeu-cau.xlsx': REPORT_STARTER,
  'GET /quan-tri/dat-yeu-cau.csv': REPORT_STARTER,
  'GET /api/qualifications': REPORT_STARTER,
  'GET /quan-tri/dat-yeu-cau/:qualification/thu-hoi': OFFERING_MANAGER,
  'POST /quan-tri/dat-yeu-cau/:qualification/thu-hoi': OFFERING_MANAGER,

  // Notifications: each person sees and marks only their own. The nudge (remindersPolicy
  // rule.nudge) over communeA's rule; nobody there is overdue, so no actor's request changes anything.
  'GET /thong-bao': SIGNED_IN,
  'POST /thong-bao/da-doc': SIGNED_IN,
  'POST /quan-tri/giao-hoc/:id/nhac-nho': rule(
    'signedIn',
    ['unitManager (own)', 'tenantAdmin'],
    'tenant admins, and unit managers over the rule’s unit',
  ),
  // In-person classes. Any member of the tenant sees, registers for and checks in to a session
  // (an empty check-in is refused, 400; a second registration 409); who runs it manages its roster,
  // QR page, results and kit (empty forms 400; the first cancel cancels, the next ones get 409).
  'GET /lop-hoc': SIGNED_IN,
  'GET /lop-hoc/:id': SIGNED_IN,
  'POST /lop-hoc/:id/dang-ky': SIGNED_IN,
  'GET /lop-hoc/:id/huy-dang-ky': SIGNED_IN,
  'POST /lop-hoc/:id/huy-dang-ky': SIGNED_IN,
  'GET /lop-hoc/:id/diem-danh': SIGNED_IN,
  'POST /lop-hoc/:id/diem-danh': SIGNED_IN,
  'GET /quan-tri/lop-hoc': REPORT_STARTER,
  'GET /quan-tri/lop-hoc/moi': CLASS_SCHEDULER,
  'POST /quan-tri/lop-hoc/moi': CLASS_SCHEDULER,
  'GET /quan-tri/lop-hoc/:id': CLASS_READER,
  'GET /quan-tri/lop-hoc/:id/sua': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/sua': CLASS_RUNNER,
  'GET /quan-tri/lop-hoc/:id/huy': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/huy': CLASS_RUNNER,
  'GET /quan-tri/lop-hoc/:id/diem-danh': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/diem-danh': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/them-nguoi': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/khach': CLASS_RUNNER,
  'GET /quan-tri/lop-hoc/:id/khach/:attendeeId/lien-ket': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/khach/:attendeeId/lien-ket': CLASS_RUNNER,
  'GET /quan-tri/lop-hoc/:id/ma-diem-danh': CLASS_RUNNER,
  'GET /quan-tri/lop-hoc/:id/ket-qua': CLASS_RUNNER,
  'POST /quan-tri/lop-hoc/:id/ket-qua': CLASS_RUNNER,
  'GET /quan-tri/lop-hoc/:id/bo-tai-lieu.pdf': CLASS_RUNNER,
  // Community digital technology teams: a team at villageA led by the learner (a qualified guide).
  // Empty forms are refused (400) once the policy let the actor through; deletions use fresh teams.
  'GET /to-cong-nghe': SIGNED_IN,
  'GET /to-cong-nghe/don-vi/:id': REPORT_READER,
  'GET /to-cong-nghe/moi': withRequest(UNIT_MANAGER, { query: 'don-vi=:unitId', otherHost: 'notFound' }),
  'POST /to-cong-nghe/moi': withRequest(UNIT_MANAGER, {
    body: (v) => ({ contextUnitId: v.unitId, unitId: v.unitId }),
  }),
  'GET /to-cong-nghe/nhap': ROSTER_IMPORTER,
  'GET /to-cong-nghe/nhap/mau.xlsx': ROSTER_IMPORTER,
  'POST /to-cong-nghe/nhap': ROSTER_IMPORTER,
  'GET /to-cong-nghe/nhap/loi/:name': ROSTER_IMPORTER,
  'GET /to-cong-nghe/:id': TEAM_READER,
  'GET /to-cong-nghe/:id/sua': TEAM_LEADER,
  'POST /to-cong-nghe/:id/sua': TEAM_LEADER,
  'POST /to-cong-nghe/:id/trang-thai': UNIT_MANAGER,
  'GET /to-cong-nghe/:id/xoa': UNIT_MANAGER,
  'POST /to-cong-nghe/:id/xoa': withRequest(UNIT_MANAGER, { fresh: 'team' }),
  'POST /to-cong-nghe/:id/thanh-vien': TEAM_LEADER,
  'GET /to-cong-nghe/:id/thanh-vien/:accountId/xoa': TEAM_LEADER,
  'POST /to-cong-nghe/:id/thanh-vien/:accountId/xoa': withRequest(TEAM_LEADER, { fresh: 'team' }),
  'GET /to-cong-nghe/:id/ho-tro': TEAM_READER,
  'POST /to-cong-nghe/:id/ho-tro': QUALIFIED_GUIDE,
  'GET /to-cong-nghe/:id/ho-tro/:entryId/sua': QUALIFIED_GUIDE,
  'POST /to-cong-nghe/:id/ho-tro/:entryId/sua': QUALIFIED_GUIDE,
  'GET /to-cong-nghe/:id/ho-tro/:entryId/xoa': TEAM_LEADER,
  'POST /to-cong-nghe/:id/ho-tro/:entryId/xoa': withRequest(TEAM_LEADER, { fresh: 'team' }),
};

/** The rule of a registered route: its own, or for an automatic HEAD route its GET route's. */
export function ruleOf(method: string, url: string): Rule | undefined {
  return ACCESS_MATRIX[`${method} ${url}`] ?? (method === 'HEAD' ? ACCESS_MATRIX[`GET ${url}`] : undefined);
}

/** True when the route's path names an object of a tenant (a course, unit, attempt…). */
const namesTenantObject = (url: string) => /:[A-Za-z]/.test(url);

/** What the policy should answer this actor on this route. */
export function expectedOutcome(rule: Rule, actor: ActorName, url: string): Outcome {
  if (actor === 'other tenant, own host') {
    if (rule.otherHost) return rule.otherHost;
    if (!rule.allowed.some((a) => OTHER_TENANT_ROLES.includes(a))) return rule.refusal;
    return namesTenantObject(url) ? 'notFound' : 'allowed';
  }
  if (rule.access === 'signedIn' && OUTSIDERS.includes(actor)) return 'signIn';
  if (rule.allowed.includes(actor)) return 'allowed';
  return OUTSIDERS.includes(actor) ? 'signIn' : rule.refusal;
}
