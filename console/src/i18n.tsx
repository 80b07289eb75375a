/** The console's language (Bulgarian unless the user switches; the choice is remembered) and how dates are shown. */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { bg, en, type MessageKey } from './messages.ts';

export type Language = 'bg' | 'en';
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { bg, en };
const LOCALES: Record<Language, string> = { bg: 'bg-BG', en: 'en-GB' };

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** The message, with `{name}` replaced from `values`. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** Date and time as Bulgarian staff read them (3.12.2026 г., 14:05), in Sofia's time. */
  dateTime(iso: string | undefined, seconds?: boolean): string;
  date(iso: string | undefined): string;
}

const Context = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem('console.language') === 'en' ? 'en' : 'bg'));
  useEffect(() => {
    localStorage.setItem('console.language', language);
    document.documentElement.lang = language;
    document.title = `${DICTIONARIES[language]['app.title']} — ${language === 'bg' ? 'конзола' : 'console'}`;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[language];
    const dateTimeFormat = new Intl.DateTimeFormat(LOCALES[language], { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Sofia' });
    const preciseFormat = new Intl.DateTimeFormat(LOCALES[language], { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Sofia' });
    const dateFormat = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'long', timeZone: 'Europe/Sofia' });
    return {
      language,
      setLanguage,
      // A key the dictionary lacks (a value a newer gateway sends) shows as itself rather than breaking the page.
      t: (key, values) => (dictionary[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`)),
      dateTime: (iso, seconds) => (iso ? (seconds ? preciseFormat : dateTimeFormat).format(new Date(iso)) : '—'),
      date: (iso) => (iso ? dateFormat.format(new Date(iso)) : '—'),
    };
  }, [language]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
