import type { Db } from '../../db/database.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import type { ProgramService } from '../programs/service.js';

/** Community digital technology teams, their qualified guides and the help they log. */
export class CommunityService {
  constructor(
    readonly db: Db,
    readonly org: OrgService,
    readonly identity: IdentityService,
    readonly programs: ProgramService,
    readonly audit: AuditService,
  ) {}
}
