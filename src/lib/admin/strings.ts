/** What the owner's pages say in charts, in both languages. */
import type { Translations } from '../language/translations.ts';

export interface ChartStrings {
  /** One week's bar, for screen readers: the week's first day and its count. */
  week: (label: string, count: number) => string;
}

export const chartStrings: Translations<ChartStrings> = {
  ja: { week: (label, count) => `${label}の週：${count}件` },
  en: { week: (label, count) => `Week of ${label}: ${count}` },
};
