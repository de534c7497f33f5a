import type { Db } from '../../db/database.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import type { ProgramService } from '../programs/service.js';

/** The services the community module works with (the CommunityService and the AppContext both fit). */
export interface CommunityDeps {
  db: Db;
  org: OrgService;
  identity: IdentityService;
  programs: ProgramService;
  audit: AuditService;
}
