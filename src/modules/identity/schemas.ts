import { Type } from 'typebox';
import { UnitSchema } from '../org/schemas.js';
import { BLOCK_CODES } from './blocks.js';

const text = (maxLength: number) => Type.String({ maxLength });

export const SignupBody = Type.Object({
  fullName: text(200),
  phone: Type.Optional(text(40)),
  email: Type.Optional(text(254)),
  block: Type.Union(BLOCK_CODES.map((b) => Type.Literal(b))),
  homeUnitId: text(64),
  password: text(200),
});

export const LoginBody = Type.Object({ identifier: text(254), password: text(200) });

export const ChangePasswordBody = Type.Object({ currentPassword: text(200), newPassword: text(200) });

export const AccountSchema = Type.Object({
  id: Type.String(),
  fullName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  block: Type.String(),
  blockLabel: Type.String(),
  homeUnit: Type.Union([UnitSchema, Type.Null()]),
  roles: Type.Array(Type.Object({ role: Type.String(), unit: Type.Union([Type.String(), Type.Null()]) })),
});

export const MemberIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const MemberListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
});

export const MemberListResponse = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(AccountSchema),
});
