/**
 * A small RFC 4180 reader: comma-separated fields, double-quoted fields may
 * hold commas, quotes ("") and line breaks. Each record keeps the line number
 * it starts on, so every message can name the line a user sees in an editor.
 */

export interface CsvRecord {
  /** 1-based line number of the record's first character. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  reason: string;
}

export interface ParsedCsv {
  records: CsvRecord[];
  /** Records that cannot be read at all (an unterminated quote, text after a closing quote). */
  problems: CsvProblem[];
}

export function parseCsv(text: string): ParsedCsv {
  // A UTF-8 byte-order mark (Excel writes one) is not part of the first header name.
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  while (i < input.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let broken: string | null = null;
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i < input.length && input[i] === '"' && field === '') {
        // Quoted field: runs to the next lone quote.
        i++;
        let closed = false;
        while (i < input.length) {
          const c = input[i]!;
          if (c === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (!closed) {
          broken ??= 'a quoted field is never closed';
        } else if (i < input.length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
          broken ??= 'text after a closing quote';
          while (i < input.length && input[i] !== ',' && input[i] !== '\n') i++;
        }
      } else {
        while (i < input.length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') field += input[i++];
      }
      fields.push(field);
      field = '';
      if (i >= input.length) endOfRecord = true;
      else if (input[i] === ',') i++;
      else {
        if (input[i] === '\r') i++;
        if (input[i] === '\n') i++;
        line++;
        endOfRecord = true;
      }
    }
    const blank = fields.length === 1 && fields[0]!.trim() === '';
    if (broken) problems.push({ line: start, reason: broken });
    else if (!blank) records.push({ line: start, fields });
  }
  return { records, problems };
}

/** Quotes a field when it needs it, so `parseCsv` reads it back unchanged. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
