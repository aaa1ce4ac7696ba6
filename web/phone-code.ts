// The 6-digit codes analysts read to callers (docs/api.md, "Codes for the phone"). No DOM: unit-tested in Node.

/** The digits of what the customer typed ("123 456", "123-456" as read on the phone). */
export const codeDigits = (typed: string): string => typed.replace(/[\s.-]/g, '');

/** "123 456": read in two groups of three over the phone. */
export const spacedCode = (code: string): string => `${code.slice(0, 3)} ${code.slice(3)}`;
