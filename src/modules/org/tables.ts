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

/** A closed unit and the unit that took over its people, children and place in reports. */
export interface OrgSuccessionTable {
  id: string;
  tenantId: string;
  fromUnitId: string;
  toUnitId: string;
  effectiveOn: string;
  createdAt: string;
}

/** Where a unit sat before a move: its place until the day before `leftOn`. */
export interface OrgUnitPlacementTable {
  unitId: string;
  tenantId: string;
  parentId: string | null;
  path: string;
  depth: number;
  leftOn: string;
}

export interface OrgTables {
  tenants: TenantTable;
  orgUnits: OrgUnitTable;
  orgSuccessions: OrgSuccessionTable;
  orgUnitPlacements: OrgUnitPlacementTable;
}
