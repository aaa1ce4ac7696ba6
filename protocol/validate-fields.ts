import { LIMITS } from './common.js';
import type { ErrorCode } from './errors.js';

// Field checks shared by the intake form and the server, so both give the same answer.
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/;
const PHONE_CHARS = /^\+?[0-9 ().-]+$/;

export function checkName(name: string): ErrorCode | null {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= LIMITS.nameMax ? null : 'ticket.invalidName';
}

export function checkEmail(email: string): ErrorCode | null {
  return email.length <= LIMITS.emailMax && EMAIL.test(email.trim()) ? null : 'ticket.invalidEmail';
}

export function checkPhone(phone: string): ErrorCode | null {
  const trimmed = phone.trim();
  if (trimmed.length > LIMITS.phoneMax || !PHONE_CHARS.test(trimmed)) return 'ticket.invalidPhone';
  const digits = trimmed.replace(/[^0-9]/g, '').length;
  return digits >= 6 && digits <= 20 ? null : 'ticket.invalidPhone';
}

export function checkRatingComment(comment: string): ErrorCode | null {
  return comment.trim().length <= LIMITS.ratingCommentMax ? null : 'rating.invalidComment';
}

export function checkTransferNote(note: string): ErrorCode | null {
  return note.trim().length <= LIMITS.transferNoteMax ? null : 'transfer.invalidNote';
}

export function checkProblem(problem: string): ErrorCode | null {
  return problem.trim().length <= LIMITS.problemMax ? null : 'ticket.invalidProblem';
}

export interface ContactFields {
  name: string;
  email?: string;
  phone?: string;
}

/**
 * A way to reach the customer again: an email address or a phone number, one is enough. A field
 * left blank is not checked; one filled in must be valid.
 */
export function checkReachable(fields: Omit<ContactFields, 'name'>): ErrorCode | null {
  const email = fields.email?.trim() ?? '';
  const phone = fields.phone?.trim() ?? '';
  if (!email && !phone) return 'ticket.contactNeeded';
  return (email ? checkEmail(email) : null) ?? (phone ? checkPhone(phone) : null);
}

/** Returns the first problem with the contact fields, or null when they are all valid. */
export function checkContact(fields: ContactFields): ErrorCode | null {
  return checkName(fields.name) ?? checkReachable(fields);
}
