// "1 judgment", "2 judgments": counts in the interface read as sentences.
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}
