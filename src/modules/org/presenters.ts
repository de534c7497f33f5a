import type { PlacedUnit, Unit } from './service.js';

/** The JSON shape of a unit in the API. */
export const presentUnit = (unit: Unit | PlacedUnit) => ({
  id: unit.id,
  code: unit.code,
  kind: unit.kind,
  type: unit.typeLabel,
  name: unit.name,
  fullName: unit.fullName,
  parentId: unit.parentId,
  ...('ancestors' in unit ? { ancestors: unit.ancestors } : {}),
});
