import { Type, type Static } from 'typebox';

// The one error catalogue. Codes are stable and namespaced (clients and tests match on them);
// messages say what to do next. Both the server and the browser import this file.
export const ERRORS = {
  'request.invalidJson': 'The request body is not valid JSON. Send a JSON object.',
  'request.invalidBody': 'The request is missing a field or has one of the wrong type. Check the fields and try again.',
  'request.tooLarge': 'The request is too large. Shorten the fields and try again.',
  'request.notFound': 'Nothing is served at this address. Check the link.',
  'queue.full': 'This queue is full right now: no more requests can wait in it. Try again in a few minutes, or call us.',
  'queue.tooManyFromAddress': 'Several requests from your network are already waiting. Wait until one of them is answered, or call us.',
  'queue.unknown': 'This support queue does not exist. Pick one of the listed queues.',
  'queue.closed': 'This support queue is closed now: it takes requests during its opening hours only. Come back when it opens, pick another queue, or call us.',
  'ticket.invalidName': 'Please enter your name (1 to 100 characters).',
  'ticket.invalidEmail': 'Please enter a valid email address, such as name@example.com.',
  'ticket.invalidPhone': 'Please enter a valid phone number (digits, spaces, +, -, parentheses; 6 to 20 digits).',
  'ticket.contactNeeded': 'Please give an email address or a phone number (one is enough), so the analyst can reach you if the connection drops.',
  'ticket.invalidProblem': 'Please describe the problem in 500 characters or less.',
  'ticket.notFound': 'This ticket does not exist or has already ended. Open the support portal to start again.',
  'ticket.alreadyTaken': 'Another analyst has already taken this ticket.',
  'ticket.customerOffline': 'The customer is not connected right now. Wait until the ticket shows them online.',
  'ticket.reserved': 'This request was handed to a colleague, who may take it first for 2 minutes. Take another one, or wait until then.',
  'transfer.invalidNote': 'Please keep the note to 500 characters or less.',
  'transfer.analystUnavailable': 'This colleague cannot take the session now: they are not online, not in that queue, or it is you. Pick someone else or hand it to the queue.',
  'ticket.notInYourQueues': 'This ticket belongs to a queue you are not a member of.',
  'code.invalid': 'This code is not valid: it may be mistyped, already used or expired (a code works for 10 minutes). Check the 6 digits with your analyst, or ask them for a new code.',
  'code.tooManyGuesses': 'Too many codes were tried on this service in the last minute. Wait a minute and try again, or ask your analyst to send you the link instead.',
  'code.notNeeded': 'This ticket no longer needs a code: the customer is already connected, or the ticket has ended.',
  'rating.invalid': 'This session can no longer be rated: it was rated already, or the time to rate it is over.',
  'rating.invalidComment': 'Please keep the comment to 500 characters or less.',
  'token.invalid': 'This support link is not valid or has expired. Ask your analyst for a new link or open the support portal.',
  'auth.required': 'Please sign in as an analyst first.',
  'auth.invalidCredentials': 'Wrong user name or password. Check them and try again.',
  'auth.locked': 'Too many failed sign-ins. Wait a few minutes, then try again (or ask an admin to reset your password).',
  'auth.busy': 'Too many sign-ins at this moment. Try again in a few seconds.',
  'auth.codeRequired': 'Enter the 6-digit code from your authenticator app (or one of your recovery codes).',
  'auth.codeInvalid': 'This code is wrong or was already used. Enter the current code from your authenticator app, or a recovery code you have not used.',
  'auth.totpSetupRequired': 'Your admin requires two-step sign-in: set it up first.',
  'totp.alreadyOn': 'Two-step sign-in is already on for this account.',
  'totp.notStarted': 'Start the set-up again: the code shown has expired or was never made.',
  'totp.codeInvalid': 'This code does not match. Check that the app shows this account and the phone\'s time is right, then enter the current code.',
  'totp.required': 'Your admin requires two-step sign-in for this account: it cannot be turned off.',
  'auth.forbidden': 'Only an admin can do this.',
  'account.invalidUsername': 'User names are 2 to 40 characters: lowercase letters, digits, dot, dash or underscore.',
  'account.invalidName': 'Enter a display name of 1 to 100 characters.',
  'account.weakPassword': 'Passwords need at least 10 characters. A few random words make a good one.',
  'account.invalidQueues': 'Pick queues from the configured list.',
  'account.usernameTaken': 'This user name is already taken. Choose another one.',
  'account.notFound': 'This account does not exist (any more). Reload the list.',
  'account.lastAdmin': 'This is the last admin account: create another admin before removing or demoting it.',
  'request.rateLimited': 'Too many requests. Wait a minute, then try again.',
  'frame.rateLimited': 'Too many messages too fast. Slow down.',
  'session.notMember': 'You are not a member of this session.',
  'session.notActive': 'There is no active session for this action. Take a ticket first, or wait for the analyst.',
  'session.invalidTransition': 'That action is not possible at this stage of the session.',
  'session.busy': 'You are already in a session. End it before taking another ticket.',
  'helper.invalidCode': 'This pairing code is not valid or has expired. Ask for a new code in the support page and try again.',
  'helper.fromBrowser': 'The helper connects from the customer\'s computer, never from a web page. Run the helper program instead.',
  'helper.unknownPlatform': 'There is no helper for this system. The helper exists for Windows (x64) and Linux (x64).',
  'helper.notBuilt': 'The helper for this system is not available on this server yet. Ask your analyst; the server\'s operator builds it with npm run helper:build.',
  'helper.downloadRefused': 'This helper download is not valid. Allow remote control in your support page and download the helper from there.',
  'helper.downloadOtherSession': 'This helper download belongs to another support session. Download the helper from your own support page.',
  'helper.downloadExpired': 'This helper download has expired or was already used. In your support page, click Download the helper again.',
  'helper.notConnected': 'No helper is connected for this session. Start the helper with the code shown in the page.',
  'frame.invalidJson': 'The message is not valid JSON.',
  'frame.invalid': 'The message does not match the protocol (unknown type, missing or extra field, or wrong type).',
  'frame.tooLarge': 'The message is too large.',
  'frame.forbidden': 'Your role cannot send this message.',
  'server.internal': 'Something went wrong on our side. Try again in a moment.',
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** Every error answer over HTTP: `{ error: { code, message } }`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      { code: Type.Enum(Object.keys(ERRORS) as ErrorCode[]), message: Type.String() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

export function errorBody(code: ErrorCode): ErrorBody {
  return { error: { code, message: ERRORS[code] } };
}

/** WebSocket close codes (4000-4999 is the application range). */
export const CLOSE_CODES = {
  /** The peer kept sending frames that violate the protocol. */
  protocolViolation: 4400,
  /** The session or ticket this connection was for has ended. */
  ended: 4410,
  /** The same ticket or analyst connected again elsewhere; this older connection is replaced. */
  replaced: 4409,
  /** The analyst's account changed; reconnect to get the new queues and rights. */
  accountChanged: 4403,
  /** The server is shutting down; reconnect later. */
  shuttingDown: 4503,
} as const;
