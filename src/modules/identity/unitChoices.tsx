import type { OrgService, PlacedUnit } from '../org/service.js';

/**
 * The units to offer: those a search for `query` finds, with the chosen one first even when
 * the search does not find it (a new search must not lose the choice).
 */
export async function unitOptions(
  org: OrgService,
  tenantId: string,
  query: string,
  selectedId: string | undefined,
): Promise<PlacedUnit[]> {
  const found = query ? await org.searchUnits(tenantId, query, 15) : [];
  const selected = selectedId ? await org.placeUnit(tenantId, selectedId) : undefined;
  return selected && !found.some((u) => u.id === selected.id) ? [selected, ...found] : found;
}

/** The radio list of units to choose a home unit from, for sign-up and profile correction. */
export function UnitChoices({
  units,
  selectedId,
  error,
}: {
  units: PlacedUnit[];
  selectedId?: string;
  error?: string;
}) {
  return (
    <fieldset class={error ? 'choices has-error' : 'choices'} id="homeUnitId">
      <legend>Đơn vị của bạn</legend>
      {error && <p class="error">{error}</p>}
      {units.length === 0 ? (
        <p class="hint">Hãy tìm tên xã, phường hoặc thôn, khối phố của bạn ở ô phía trên, rồi chọn ở đây.</p>
      ) : (
        units.map((unit) => (
          <label class="choice" key={unit.id}>
            <input type="radio" name="homeUnitId" value={unit.id} checked={unit.id === selectedId} required />
            <span>
              <strong>{unit.fullName}</strong>
              {unit.ancestors.length > 0 && <small>{unit.ancestors.join(', ')}</small>}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}
