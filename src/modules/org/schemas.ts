import { Type } from 'typebox';

export const UnitSchema = Type.Object({
  id: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  type: Type.String(),
  name: Type.String(),
  fullName: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  ancestors: Type.Optional(Type.Array(Type.String())),
});

export const UnitSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
});

export const UnitIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const UnitListResponse = Type.Object({ items: Type.Array(UnitSchema) });
