import { withSessions } from '../classes/sessionMoves.js';
import { withTeams } from '../community/teamMoves.js';
import { unitMembers } from '../identity/unitMembers.js';

/** What a merge moves into the receiving unit: people and roles, community teams, class sessions. */
export const movedWithUnits = withSessions(withTeams(unitMembers));
