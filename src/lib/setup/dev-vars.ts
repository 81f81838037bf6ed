/**
 * `.dev.vars` edits: setup writes the webhook's signing secret and the portal login URL there,
 * keeping every other line (comments, order, other variables) as the owner wrote it. Pure.
 */

/** The file's text with each variable set: its line replaced where it is, appended where it is not. */
export function withVariables(text: string, updates: Readonly<Record<string, string>>): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const [name, value] of Object.entries(updates)) {
    if (/[\r\n]/.test(value)) throw new Error(`${name}: a value on one line only`);
    const line = `${name}=${value}`;
    const at = lines.findIndex((existing) => existing.replace(/^export\s+/, '').startsWith(`${name}=`));
    if (at === -1) lines.push(line);
    else lines[at] = line;
  }
  return `${lines.join('\n')}\n`;
}
