import type { Db } from '../../db/database.js';
import { peopleByTenant } from '../identity/unitMembers.js';
import { learningByTenant } from '../learning/unitActivity.js';
import type { OrgService, Tenant } from '../org/service.js';

export interface TenantFigures {
  tenant: Tenant;
  units: number;
  people: number;
  learners: number;
  coursesCompleted: number;
}

/** One row per tenant (province) on the installation, and their sum: the platform admin's view. */
export async function nationalRollup(
  db: Db,
  org: OrgService,
): Promise<{ tenants: TenantFigures[]; total: Omit<TenantFigures, 'tenant'> }> {
  const [tenants, units, people, learning] = await Promise.all([
    org.listTenants(),
    org.currentUnitsByTenant(),
    peopleByTenant(db),
    learningByTenant(db),
  ]);
  const rows = tenants.map((tenant) => ({
    tenant,
    units: units.get(tenant.id) ?? 0,
    people: people.get(tenant.id) ?? 0,
    learners: learning.get(tenant.id)?.learners ?? 0,
    coursesCompleted: learning.get(tenant.id)?.coursesCompleted ?? 0,
  }));
  const sum = (pick: (r: TenantFigures) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    tenants: rows,
    total: {
      units: sum((r) => r.units),
      people: sum((r) => r.people),
      learners: sum((r) => r.learners),
      coursesCompleted: sum((r) => r.coursesCompleted),
    },
  };
}
