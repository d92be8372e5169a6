import { csvCell, toCsv, UTF8_BOM } from './csv';

describe('toCsv', () => {
  it('should start with a BOM and a header of the column names', () => {
    const csv = toCsv<{ id: number; title: string }>(['id', 'title'], []);
    expect(csv).toBe(`${UTF8_BOM}id,title\r\n`);
  });

  it('should write one CRLF line per row in column order', () => {
    const rows = [
      { title: 'A', id: 1 },
      { title: 'B', id: 2 },
    ];
    expect(toCsv(['id', 'title'], rows)).toBe(`${UTF8_BOM}id,title\r\n1,A\r\n2,B\r\n`);
  });

  it('should quote commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('Hello, World')).toBe('"Hello, World"');
    expect(csvCell('The "Best" Film')).toBe('"The ""Best"" Film"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('should keep Chinese text and numbers as they are', () => {
    expect(csvCell('流浪地球2')).toBe('流浪地球2');
    expect(csvCell(176.4)).toBe('176.4');
    expect(csvCell(0)).toBe('0');
  });

  it('should write null and undefined as empty cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('should defuse text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-1)).toBe('-1');
  });
});
