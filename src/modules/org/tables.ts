export interface TenantTable {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

/**
 * A unit of the org tree. `path` is the materialized path of ids from the root
 * (`/rootId/childId/`), so a subtree is one range scan. A unit is current while
 * `validTo` is null; reorganisations close units instead of deleting them.
 */
export interface OrgUnitTable {
  id: string;
  tenantId: string;
  parentId: string | null;
  path: string;
  depth: number;
  kind: string;
  typeLabel: string;
  name: string;
  code: string | null;
  searchName: string;
  searchPath: string;
  validFrom: string;
  validTo: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrgTables {
  tenants: TenantTable;
  orgUnits: OrgUnitTable;
}
