import { presentUnit } from '../org/presenters.js';
import type { AccountView } from './service.js';

/** The JSON shape of an account in the API. */
export const presentAccount = (account: AccountView) => ({
  id: account.id,
  fullName: account.fullName,
  phone: account.phone,
  email: account.email,
  block: account.block,
  blockLabel: account.blockLabel,
  homeUnit: account.homeUnit && presentUnit(account.homeUnit),
  roles: account.roles,
});
