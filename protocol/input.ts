import { Type, type Static } from 'typebox';

// Input family: remote-control events, analyst page → customer page → helper. Coordinates are
// normalised to the shared picture (0..1), so resolution and scaling do not matter. `ts` is the
// analyst's clock (epoch ms, sub-ms) when the event happened, for latency measurement only.

const Ts = Type.Number({ minimum: 0 });
const Unit = Type.Number({ minimum: 0, maximum: 1 });

export const InputMove = Type.Object({ k: Type.Literal('move'), x: Unit, y: Unit, ts: Ts }, { additionalProperties: false });
export const MouseButton = Type.Union([Type.Literal('left'), Type.Literal('middle'), Type.Literal('right')]);
export const InputButton = Type.Object({ k: Type.Literal('button'), button: MouseButton, down: Type.Boolean(), ts: Ts }, { additionalProperties: false });
export const InputWheel = Type.Object(
  { k: Type.Literal('wheel'), dx: Type.Integer({ minimum: -20, maximum: 20 }), dy: Type.Integer({ minimum: -20, maximum: 20 }), ts: Ts },
  { additionalProperties: false },
);
/** A physical key (KeyboardEvent.code, e.g. "KeyA", "ShiftLeft", "Enter"). */
export const InputKey = Type.Object(
  { k: Type.Literal('key'), code: Type.String({ pattern: '^[A-Za-z0-9]{1,24}$' }), down: Type.Boolean(), ts: Ts },
  { additionalProperties: false },
);
export const COMBOS = ['ctrlAltDelete', 'altTab', 'altF4', 'super', 'ctrlEscape', 'printScreen'] as const;
export type Combo = (typeof COMBOS)[number];
/** Key combinations the analyst's own OS would swallow, sent from a menu. */
export const InputCombo = Type.Object(
  { k: Type.Literal('combo'), combo: Type.Enum([...COMBOS]), ts: Ts },
  { additionalProperties: false },
);

export const InputEvent = Type.Union([InputMove, InputButton, InputWheel, InputKey, InputCombo]);
export type InputEvent = Static<typeof InputEvent>;

/** Customer page → helper: the page is the gate and tells the helper when control is on. */
export const HelperControl = Type.Object({ k: Type.Literal('control'), active: Type.Boolean() }, { additionalProperties: false });
/** Customer page → helper, once their channel opens: who the helper works for (shown in its window). */
export const HelperWho = Type.Object({ k: Type.Literal('who'), analyst: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
export const PageToHelper = Type.Union([InputEvent, HelperControl, HelperWho]);
export type PageToHelper = Static<typeof PageToHelper>;

/** Helper → customer page: control paused because the customer moved their own mouse, or back. */
export const HelperState = Type.Object(
  { k: Type.Literal('state'), state: Type.Union([Type.Literal('ready'), Type.Literal('suspended'), Type.Literal('resumed'), Type.Literal('stopped')]) },
  { additionalProperties: false },
);
export type HelperState = Static<typeof HelperState>;
