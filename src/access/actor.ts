/** Roles a person can hold; each is granted over a unit subtree (or a whole tenant). */
export const ROLES = [
  'learner',
  'unitManager',
  'contentManager',
  'evaluator',
  'instructor',
  'tenantAdmin',
  'platformAdmin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  learner: 'Học viên',
  unitManager: 'Quản lý đơn vị',
  contentManager: 'Quản lý nội dung học tập',
  evaluator: 'Đánh giá, giám sát kết quả',
  instructor: 'Giảng viên lớp học trực tiếp',
  tenantAdmin: 'Quản trị đơn vị chủ quản',
  platformAdmin: 'Quản trị nền tảng',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface Grant {
  role: Role;
  /** Materialized path of the scope unit; null means the whole tenant. */
  unitPath: string | null;
}

/** Who is acting: a signed-in account with the roles it holds. Every account is a learner. */
export interface Actor {
  accountId: string;
  tenantId: string;
  fullName: string;
  /** The learner block (khối) the person belongs to: courses for it are offered first. */
  block: string;
  /** The unit the person belongs to now; learning events record it, so history keeps its place. */
  homeUnitId: string | null;
  grants: Grant[];
}

/** Something that lives in a tenant, at a place in its org tree (null: tenant-wide). */
export interface Scoped {
  tenantId: string;
  unitPath: string | null;
}

export function hasRole(actor: Actor, role: Role): boolean {
  return role === 'learner' || actor.grants.some((g) => g.role === role);
}

/**
 * True when the actor holds one of `roles` over the place of `target`. A platform admin
 * covers every tenant; every other grant covers its own tenant's subtree only.
 */
export function holdsRoleOver(actor: Actor, roles: readonly Role[], target: Scoped): boolean {
  if (roles.includes('platformAdmin') && hasRole(actor, 'platformAdmin')) return true;
  if (actor.tenantId !== target.tenantId) return false;
  return actor.grants.some(
    (g) =>
      roles.includes(g.role) && (g.unitPath === null || target.unitPath?.startsWith(g.unitPath) === true),
  );
}
