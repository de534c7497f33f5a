import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { FileStore } from '../files/fileStore.js';
import type { AssessmentService } from '../modules/assessment/service.js';
import type { AuditService } from '../modules/audit/service.js';
import type { CatalogService } from '../modules/catalog/service.js';
import type { ClassService } from '../modules/classes/service.js';
import type { CommunityService } from '../modules/community/service.js';
import type { IdentityService } from '../modules/identity/service.js';
import type { LearningService } from '../modules/learning/service.js';
import type { OrgService } from '../modules/org/service.js';
import type { ProgramService } from '../modules/programs/service.js';
import type { Dashboards } from '../modules/reports/dashboard/service.js';
import type { StatsService } from '../modules/reports/stats/service.js';
import type { UnitLearningReports } from '../modules/reports/unitLearning.js';

/** What every module's routes and pages are given: configuration, database and the module services. */
export interface AppContext {
  config: Config;
  db: Db;
  files: FileStore;
  org: OrgService;
  identity: IdentityService;
  catalog: CatalogService;
  assessment: AssessmentService;
  learning: LearningService;
  audit: AuditService;
  reports: UnitLearningReports;
  programs: ProgramService;
  stats: StatsService;
  dashboards: Dashboards;
  community: CommunityService;
  classes: ClassService;
}
