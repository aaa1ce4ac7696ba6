import { Type, type Static } from 'typebox';

// Accounts family: analyst sign-in and the admin's account management (HTTP bodies).

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    /** With two-step sign-in: the authenticator app's 6 digits, or one recovery code. */
    code: Type.Optional(Type.String({ maxLength: 40 })),
  },
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
    /** Two-step sign-in required for this account. */
    totpRequired: Type.Optional(Type.Boolean()),
    /** Removes the account's two-step set-up (a lost phone): it sets it up again at its next sign-in if required. */
    totpReset: Type.Optional(Type.Literal(true)),
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
    /** Two-step sign-in is set up. */
    totp: Type.Boolean(),
    totpRequired: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AccountView = Static<typeof AccountView>;

export const AccountList = Type.Array(AccountView);
export type AccountList = Static<typeof AccountList>;

/** The signed-in analyst: the answer of POST /api/login and GET /api/me. */
export const SignedInAnalyst = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    role: AccountRole,
    queues: Type.Array(Type.String()),
    /** Two-step sign-in is set up for this account. */
    totp: Type.Boolean(),
    /** Required by an admin and not set up yet: this sign-in reaches only the set-up. */
    totpSetupRequired: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type SignedInAnalyst = Static<typeof SignedInAnalyst>;

/** POST /api/me/totp: a new secret to set up, shown once (as a QR code and as text). */
export const TotpSetup = Type.Object({ secret: Type.String(), uri: Type.String(), expiresAt: Type.Number() }, { additionalProperties: false });
export type TotpSetup = Static<typeof TotpSetup>;

/** POST /api/me/totp: the set-up starts only with the password again (a stolen console cannot tie the account to another phone). */
export const TotpStartBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type TotpStartBody = Static<typeof TotpStartBody>;

/** POST /api/me/totp/confirm and DELETE /api/me/totp: a code from the app. */
export const TotpCodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
export type TotpCodeBody = Static<typeof TotpCodeBody>;

/** POST /api/me/totp/confirm: two-step sign-in is on; the recovery codes, shown this once. */
export const TotpEnabled = Type.Object({ recoveryCodes: Type.Array(Type.String()) }, { additionalProperties: false });
export type TotpEnabled = Static<typeof TotpEnabled>;

/** POST /api/logout. */
export const SignedOut = Type.Object({ ok: Type.Literal(true) }, { additionalProperties: false });
export type SignedOut = Static<typeof SignedOut>;
