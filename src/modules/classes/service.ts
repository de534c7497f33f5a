import type { Db } from '../../db/database.js';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';

/** In-person class sessions: registration, attendance (QR and roster), walk-ins, paper results. */
export class ClassService {
  constructor(
    readonly db: Db,
    readonly org: OrgService,
    readonly identity: IdentityService,
    readonly catalog: CatalogService,
    readonly audit: AuditService,
  ) {}
}
