import { Type, type Static } from '@sinclair/typebox';

// Accounts family: analyst sign-in and the admin's account management (HTTP bodies).

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const AccountRole = Type.Union([Type.Literal('admin'), Type.Literal('analyst')]);
export type AccountRole = Static<typeof AccountRole>;

const Queues = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 });

export const AccountCreateBody = Type.Object(
  {
    username: Type.String({ maxLength: 40 }),
    displayName: Type.String({ maxLength: 200 }),
    password: Type.String({ maxLength: 200 }),
    role: AccountRole,
    queues: Queues,
  },
  { additionalProperties: false },
);
export type AccountCreateBody = Static<typeof AccountCreateBody>;

export const AccountPatchBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(AccountRole),
    queues: Type.Optional(Queues),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AccountPatchBody = Static<typeof AccountPatchBody>;

/** An account as the admin console sees it (never the password hash). */
export const AccountView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: AccountRole,
    queues: Type.Array(Type.String()),
    createdAt: Type.Number(),
    disabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AccountView = Static<typeof AccountView>;

export const AccountList = Type.Array(AccountView);
export type AccountList = Static<typeof AccountList>;

/** The signed-in analyst: the answer of POST /api/login and GET /api/me. */
export const SignedInAnalyst = Type.Object(
  { id: Type.String(), displayName: Type.String(), role: AccountRole, queues: Type.Array(Type.String()) },
  { additionalProperties: false },
);
export type SignedInAnalyst = Static<typeof SignedInAnalyst>;

/** POST /api/logout. */
export const SignedOut = Type.Object({ ok: Type.Literal(true) }, { additionalProperties: false });
export type SignedOut = Static<typeof SignedOut>;
