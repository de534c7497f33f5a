import path from 'node:path';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { FileStore } from './files/fileStore.js';
import { AssessmentService } from './modules/assessment/service.js';
import { AuditService } from './modules/audit/service.js';
import { CatalogService } from './modules/catalog/service.js';
import { ClassService } from './modules/classes/service.js';
import { CommunityService } from './modules/community/service.js';
import { IdentityService } from './modules/identity/service.js';
import { LearningService } from './modules/learning/service.js';
import { OrgService } from './modules/org/service.js';
import { ProgramService } from './modules/programs/service.js';
import { Dashboards } from './modules/reports/dashboard/service.js';
import { StatsService } from './modules/reports/stats/service.js';
import { UnitLearningReports } from './modules/reports/unitLearning.js';
import type { AppContext } from './web/context.js';

/**
 * The services of one process over one database. Kept apart from the web app so commands that
 * need no web server (imports, seeding) load none of it.
 */
export function createContext(config: Config, db: Db): AppContext {
  const org = new OrgService(db);
  const catalog = new CatalogService(db);
  const assessment = new AssessmentService(db);
  const audit = new AuditService(db);
  const identity = new IdentityService(db, org, audit, config.secret);
  const learning = new LearningService(db, catalog, assessment, audit);
  const programs = new ProgramService(db, org, identity, catalog, learning, audit);
  // Rules are live: who joins or changes is assigned at once; a completed course may finish a program.
  identity.onPeopleChanged((tenantId, accountIds) => programs.evaluatePeople(tenantId, accountIds));
  learning.onCourseCompleted((tenantId, accountId, courseId) =>
    programs.courseCompleted(tenantId, accountId, courseId),
  );
  learning.onQuizPassed((tenantId, accountId, courseId) =>
    programs.quizPassed(tenantId, accountId, courseId),
  );
  // Unit statistics follow events (in their transaction), people, assignments and the tree.
  const stats = new StatsService(db, org);
  learning.onEventsStored((tx, tenantId, accountId, courseIds) =>
    stats.learnerChanged(tx, tenantId, accountId, courseIds),
  );
  identity.onPeopleChanged(async (tenantId, accountIds) => {
    // "Anyone" follows an import or a reorganisation: units may have moved too.
    if (accountIds === null) await stats.treeChanged(tenantId);
    await stats.peopleChanged(tenantId, accountIds);
  });
  programs.onPeopleAffected((tenantId, accountIds) => stats.peopleChanged(tenantId, accountIds));
  programs.onProgramsChanged((tenantId, courseIds) => stats.coursesRegrouped(tenantId, courseIds));
  return {
    config,
    db,
    files: new FileStore(path.join(config.dataDir, 'files')),
    org,
    identity,
    catalog,
    assessment,
    learning,
    audit,
    reports: new UnitLearningReports(db, org),
    programs,
    stats,
    dashboards: new Dashboards(db, org, catalog, programs),
    community: new CommunityService(db, org, identity, programs, audit),
    classes: new ClassService(db, org, identity, catalog, audit),
  };
}
