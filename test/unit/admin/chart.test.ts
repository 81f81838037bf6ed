import { describe, expect, it } from 'vitest';
import { weeklyBarChart, weeklyCounts } from '../../../src/lib/admin/chart.ts';

describe('weeklyCounts', () => {
  it('buckets days into Monday weeks ending with the week of the last day', () => {
    const weeks = weeklyCounts(['2026-03-02', '2026-03-08', '2026-03-09', '2026-02-23', '2025-01-01'], '2026-03-11', 3);
    expect(weeks).toEqual([
      { weekStart: '2026-02-23', count: 1 },
      { weekStart: '2026-03-02', count: 2 },
      { weekStart: '2026-03-09', count: 1 },
    ]);
    expect(weeklyCounts([], '2026-03-08')).toHaveLength(12);
    expect(weeklyCounts([], '2026-03-08').at(-1)?.weekStart).toBe('2026-03-02');
  });
});

describe('weeklyBarChart', () => {
  const weeks = [
    { weekStart: '2026-02-23', count: 3 },
    { weekStart: '2026-03-02', count: 0 },
    { weekStart: '2026-03-09', count: 17 },
  ];

  it('draws scalable SVG with a title, a description and every number as text', () => {
    const svg = weeklyBarChart({ id: 'shipped', title: '発送数 <週ごと>', weeks, language: 'ja' });
    expect(svg).toMatchSnapshot();
    expect(svg).toContain('viewBox="0 0 360 200"');
    // The root has no pixel size: it scales to its container.
    expect(svg.slice(0, svg.indexOf('>'))).not.toMatch(/ (width|height)="\d+(px)?"/);
    expect(svg).not.toMatch(/<script|on\w+=/);
    expect(svg).toContain('<title id="shipped-title">発送数 &lt;週ごと&gt;</title>');
    expect(svg).toContain('<desc id="shipped-desc">2/23の週：3件、3/2の週：0件、3/9の週：17件</desc>');
    for (const { count } of weeks) expect(svg).toContain(`>${count}</text>`);
  });

  it('labels weeks in the page language', () => {
    const svg = weeklyBarChart({ id: 'x', title: 'Shipped', weeks, language: 'en' });
    expect(svg).toContain('Week of 3/9: 17');
    expect(svg).toContain('>2/23</text>');
  });
});
