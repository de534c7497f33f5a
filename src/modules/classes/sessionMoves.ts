import { nowIso } from '../../db/time.js';
import type { UnitMembers } from '../identity/unitMembers.js';

/**
 * A reorganisation's part for in-person classes, added to who else moves (`members`): sessions
 * organised by a merged unit belong to the unit that took it over, so its people find the coming
 * ones and its reports count the past ones in today's structure.
 */
export function withSessions(members: UnitMembers): UnitMembers {
  return {
    countIn: members.countIn,
    async move(db, tenantId, moves) {
      const moved = await members.move(db, tenantId, moves);
      const updatedAt = nowIso();
      for (const [from, to] of moves)
        await db.kysely
          .updateTable('classSessions')
          .set({ unitId: to, updatedAt })
          .where('tenantId', '=', tenantId)
          .where('unitId', '=', from)
          .execute();
      return moved;
    },
  };
}
