import type { AssessmentTables } from '../modules/assessment/tables.js';
import type { AuditTables } from '../modules/audit/tables.js';
import type { CatalogTables } from '../modules/catalog/tables.js';
import type { ClassTables } from '../modules/classes/tables.js';
import type { CommunityTables } from '../modules/community/tables.js';
import type { IdentityTables } from '../modules/identity/tables.js';
import type { LearningTables } from '../modules/learning/tables.js';
import type { OrgTables } from '../modules/org/tables.js';
import type { OfferingTables } from '../modules/programs/offeringTables.js';
import type { ReminderTables } from '../modules/programs/reminderTables.js';
import type { ProgramsTables } from '../modules/programs/tables.js';
import type { IntegrityTables } from '../modules/reports/integrityTables.js';
import type { ScheduleTables } from '../modules/reports/scheduleTables.js';
import type { ReportsTables } from '../modules/reports/tables.js';

/** Every table of the product; each module declares and owns its own. */
export interface Database
  extends OrgTables,
    IdentityTables,
    CatalogTables,
    AssessmentTables,
    LearningTables,
    AuditTables,
    ProgramsTables,
    ReminderTables,
    OfferingTables,
    ReportsTables,
    ScheduleTables,
    IntegrityTables,
    CommunityTables,
    ClassTables {}
