import path from 'node:path';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { FileStore } from './files/fileStore.js';
import { AssessmentService } from './modules/assessment/service.js';
import { AuditService } from './modules/audit/service.js';
import { CatalogService } from './modules/catalog/service.js';
import { IdentityService } from './modules/identity/service.js';
import { LearningService } from './modules/learning/service.js';
import { OrgService } from './modules/org/service.js';
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
  return {
    config,
    db,
    files: new FileStore(path.join(config.dataDir, 'files')),
    org,
    identity: new IdentityService(db, org, audit, config.secret),
    catalog,
    assessment,
    learning: new LearningService(db, catalog, assessment, audit),
    audit,
    reports: new UnitLearningReports(db, org),
  };
}
