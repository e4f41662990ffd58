/**
 * The two languages of every page stetpay renders, and the shape of the short
 * messages a page shows (a heading and one paragraph) in both of them.
 */

export type PageLanguage = 'fr' | 'en';

/** A short page's heading and its one paragraph. */
export interface PageMessage {
  readonly title: string;
  readonly body: string;
}

/**
 * Messages by kind, each in both languages. Written one line a kind, so that a
 * translation is read beside its original and a missing one fails to compile.
 */
export type BilingualMessages<K extends string> = Readonly<Record<K, Readonly<Record<PageLanguage, PageMessage>>>>;
