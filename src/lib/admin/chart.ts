/**
 * A bar chart of weekly counts as server-rendered SVG: no script, no fixed pixel size (the viewBox
 * scales to its container, readable at 390 px), and every number as text: on each bar, and in the
 * `<desc>` that screen readers announce with the `<title>`.
 */
import type { Language } from '../language/languages.ts';
import { escapeHtml } from '../http/html.ts';
import { chartStrings } from './strings.ts';

/** One week: its first day (YYYY-MM-DD) and how many. */
export interface WeekCount {
  weekStart: string;
  count: number;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * `weeks` weeks of counts ending with the week holding `lastDay` (weeks start on Monday), from
 * the days (YYYY-MM-DD) things happened on; days outside the span are not counted.
 */
export function weeklyCounts(days: readonly string[], lastDay: string, weeks = 12): WeekCount[] {
  const last = Date.parse(`${lastDay}T00:00:00Z`);
  // getUTCDay is 0 on Sunday: Monday is 6 days back then, else day − 1.
  const lastMonday = last - ((new Date(last).getUTCDay() + 6) % 7) * DAY_MS;
  const firstMonday = lastMonday - (weeks - 1) * WEEK_MS;
  const counts = new Array<number>(weeks).fill(0);
  for (const day of days) {
    const index = Math.floor((Date.parse(`${day}T00:00:00Z`) - firstMonday) / WEEK_MS);
    if (index >= 0 && index < weeks) counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts.map((count, index) => ({
    weekStart: new Date(firstMonday + index * WEEK_MS).toISOString().slice(0, 10),
    count,
  }));
}

const WIDTH = 360;
const HEIGHT = 200;
const TOP = 20;
const BOTTOM = 24;

/**
 * The chart's SVG markup. `id` makes its title and description ids unique on the page; labels are
 * the weeks' first days as `Intl.DateTimeFormat` writes them in `language` (3/2).
 */
export function weeklyBarChart(input: {
  id: string;
  title: string;
  weeks: readonly WeekCount[];
  language: Language;
}): string {
  const { id, weeks, language } = input;
  const dayLabel = new Intl.DateTimeFormat(language, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  const max = Math.max(1, ...weeks.map((week) => week.count));
  const slot = WIDTH / Math.max(1, weeks.length);
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const labelled = weeks.map((week) => ({
    ...week,
    label: dayLabel.format(Date.parse(`${week.weekStart}T00:00:00Z`)),
  }));
  const bars = labelled.map((week, index) => {
    const height = Math.round((week.count / max) * plotHeight);
    const x = index * slot;
    const middle = (x + slot / 2).toFixed(1);
    return [
      '<g>',
      `<rect x="${(x + slot * 0.15).toFixed(1)}" y="${TOP + plotHeight - height}" width="${(slot * 0.7).toFixed(1)}" height="${height}" fill="currentColor" opacity="0.7"/>`,
      `<text x="${middle}" y="${TOP + plotHeight - height - 4}" text-anchor="middle" font-size="11">${week.count}</text>`,
      `<text x="${middle}" y="${HEIGHT - 8}" text-anchor="middle" font-size="10">${escapeHtml(week.label)}</text>`,
      '</g>',
    ].join('');
  });
  const description = labelled
    .map((week) => chartStrings[language].week(week.label, week.count))
    .join(language === 'ja' ? '、' : '; ');
  const safeId = escapeHtml(id);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${safeId}-title ${safeId}-desc">`,
    `<title id="${safeId}-title">${escapeHtml(input.title)}</title>`,
    `<desc id="${safeId}-desc">${escapeHtml(description)}</desc>`,
    `<line x1="0" y1="${TOP + plotHeight}" x2="${WIDTH}" y2="${TOP + plotHeight}" stroke="currentColor" stroke-width="1"/>`,
    ...bars,
    '</svg>',
  ].join('\n');
}
