import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { IdentityService } from '../modules/identity/service.js';
import type { OrgService } from '../modules/org/service.js';

/** What every module's routes and pages are given: configuration, database and the module services. */
export interface AppContext {
  config: Config;
  db: Db;
  org: OrgService;
  identity: IdentityService;
}
