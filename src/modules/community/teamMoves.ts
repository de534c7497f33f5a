import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import type { UnitMembers } from '../identity/unitMembers.js';
import { teamNameKey } from './teams.js';

/**
 * A reorganisation's part for community teams, added to who else moves (`members`): a team of a
 * merged commune or village belongs from then on to the unit that took it over (with its totals).
 * Logged help keeps the place it was given in, as learning events keep theirs. A name the new
 * unit already has gets a number.
 */
export function withTeams(members: UnitMembers): UnitMembers {
  return {
    countIn: members.countIn,
    async move(db, tenantId, moves) {
      const moved = await members.move(db, tenantId, moves);
      await moveTeams(db, tenantId, moves);
      return moved;
    },
  };
}

async function moveTeams(db: Db, tenantId: string, moves: Map<string, string>): Promise<void> {
  if (moves.size === 0) return;
  const teams = await db.kysely
    .selectFrom('communityTeams')
    .select(['id', 'unitId', 'name'])
    .where('tenantId', '=', tenantId)
    .where('unitId', 'in', [...new Set([...moves.keys(), ...moves.values()])])
    .orderBy('createdAt')
    .execute();
  const taken = new Set(teams.filter((t) => !moves.has(t.unitId)).map((t) => teamNameKey(t.unitId, t.name)));
  const updatedAt = nowIso();
  for (const team of teams) {
    const to = moves.get(team.unitId);
    if (to === undefined) continue;
    let name = team.name;
    for (let n = 2; taken.has(teamNameKey(to, name)); n++) name = `${team.name} (${n})`;
    taken.add(teamNameKey(to, name));
    await db.kysely
      .updateTable('communityTeams')
      .set({ unitId: to, name, updatedAt })
      .where('id', '=', team.id)
      .execute();
  }
}
