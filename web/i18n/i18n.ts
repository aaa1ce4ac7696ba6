import { useEffect, useState } from 'preact/hooks';
import type { ErrorCode } from '../../protocol/index.js';
import { EN } from './strings-en.js';
import { FR } from './strings-fr.js';
import { Emitter } from '../emitter.js';

export type Lang = 'en' | 'fr';
export type StringKey = keyof typeof EN;
export type Strings = Record<StringKey, string>;

const DICTIONARIES: Record<Lang, Strings> = { en: EN, fr: FR };
/** The languages the pages speak. */
export const LANGS = Object.keys(DICTIONARIES) as Lang[];
const STORAGE_KEY = 'relaydesk.lang';

function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  return (globalThis.navigator?.language ?? 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

let current: Lang = initialLang();
const languages = new Emitter<{ change: [lang: Lang] }>();

export function setLang(lang: Lang): void {
  current = lang;
  globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  languages.emit('change', lang);
}

/** Translates `key`, filling {placeholders} from `params`. */
export function translate(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
  const template = DICTIONARIES[lang][key] ?? EN[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A server error code in the user's language, falling back to the server's English message. */
export function errorText(lang: Lang, code: ErrorCode | 'network', fallback = ''): string {
  const key = `error.${code}` as StringKey;
  return key in EN ? translate(lang, key) : fallback || translate(lang, 'error.server.internal');
}

export function useI18n() {
  const [lang, setLocal] = useState<Lang>(current);
  useEffect(() => {
    document.documentElement.lang = current;
    return languages.on('change', setLocal);
  }, []);
  return {
    lang,
    setLang,
    t: (key: StringKey, params?: Record<string, string | number>) => translate(lang, key, params),
    err: (code: ErrorCode | 'network', fallback?: string) => errorText(lang, code, fallback),
  };
}
